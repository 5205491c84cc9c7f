import { findBeadIds } from '@forge/reader-kit';
import { defaultScoringConfig, type Commit, type LinkEvidence, type Place, type ScoringConfig, type SessionLinks } from '@forge/schema';
import { readBeadCommand } from './bead-commands.js';
import { commitsAuthoredBetween, type OutcomeIndex, type RepositoryIndex } from './index-outcomes.js';
import { type ScoringView } from './scoring-view.js';
import { sessionIdentity, type SessionIdentity } from './session-identity.js';
import { findCommitLines, findJsonId, findMarkers, type Marker } from './stdout-markers.js';
import { collectToolUses, messageTimes, scannableText, shellCommandsOf, type ToolUse } from './tool-uses.js';

/** A commit linked to a session. `weak`: only the time window speaks for it (kept when its files match the session's edits). */
export interface CommitLink {
  commit: Commit;
  strength: 'strong' | 'weak';
  evidence: LinkEvidence[];
  /** Beads its message names. */
  beads: string[];
}

/** Everything linking found for one session: what `scoreSession` needs besides the diffs. */
export interface SessionLinkage {
  sessionId: string;
  file: string;
  identity?: SessionIdentity;
  place?: Place;
  /** `Repository.id` of the session's repository, when known: where to read commit diffs. */
  repositoryId?: string;
  /** Session start and end, and the end of the window for its commits (ms). */
  window: { start: number; end: number; commitsUntil: number };
  links: SessionLinks;
  /** For each worked bead: the time and message of its first start signal. */
  starts: Map<string, { index: number; at: number }>;
  commits: CommitLink[];
  toolUses: ToolUse[];
}

type Role = 'worked' | 'created' | 'touched' | 'mentioned';
interface BeadNote {
  evidence: LinkEvidence[];
  start?: { index: number; at: number };
  finished: boolean;
  created: boolean;
  touched: boolean;
}

const minute = 60_000;
/** How long before a session a dispatch to its agent may have happened. */
const dispatchLead = 15 * minute;
/** Work beads only: agents, messages, convoys, molecules and merge requests are not work (T4). */
const nonWorkTypes = new Set(['message', 'agent', 'role', 'rig', 'convoy', 'molecule', 'merge-request', 'event', 'gate', 'slot', 'queue']);

/**
 * Links a session to the beads it worked and the commits it made, with evidence for every link
 * (gastown-beads.md T9). Mentions are not work: a bead only shown or listed is `mentioned`.
 * Pure; the session is read, not changed.
 */
export function linkSession(session: ScoringView, index: OutcomeIndex, config: ScoringConfig = defaultScoringConfig()): SessionLinkage {
  const file = session.files[0] ?? '';
  const identity = sessionIdentity(session, index);
  const place = index.place(session.cwd);
  const times = messageTimes(session);
  const start = Date.parse(session.startedAt);
  const end = Math.max(start, Date.parse(session.endedAt));
  const window = { start, end, commitsUntil: end + config.commitWindowMinutes * minute };
  const toolUses = collectToolUses(session);
  const notes = new Map<string, BeadNote>();
  const note = (id: string): BeadNote => {
    let found = notes.get(id);
    if (found == null) {
      found = { evidence: [], finished: false, created: false, touched: false };
      notes.set(id, found);
    }
    return found;
  };
  const at = (messageIndex: number, signal: LinkEvidence['signal'], detail: string): LinkEvidence => {
    const evidence: LinkEvidence = { signal, detail, file, messageIndex };
    const sourceId = session.messages[messageIndex]?.sourceIds?.[0];
    if (sourceId != null) evidence.sourceId = sourceId;
    return evidence;
  };
  const started = (id: string, messageIndex: number, evidence: LinkEvidence): void => {
    const entry = note(id);
    entry.evidence.push(evidence);
    if (entry.start == null || messageIndex < entry.start.index) entry.start = { index: messageIndex, at: times[messageIndex] ?? start };
  };

  // 1. The startup beacon names the assigned bead.
  const beaconBead = session.gastown?.beacon?.beadId;
  if (beaconBead != null) {
    const beaconIndex = Math.max(0, session.messages.findIndex((message) => message.provenance === 'gastown-beacon'));
    started(beaconBead, beaconIndex, at(beaconIndex, 'beacon', `beacon topic ${session.gastown?.beacon?.topic ?? ''}:${beaconBead}`));
  }
  // 2. `gt prime` output in hook context: the hooked bead.
  session.messages.forEach((message, messageIndex) => {
    if (message.role === 'assistant' || message.role === 'tool') return;
    for (const marker of findMarkers(message.text)) if (marker.action === 'hooked') started(marker.id, messageIndex, at(messageIndex, 'prime-hook', marker.line));
  });
  // 3. A polecat branch names its bead.
  const branchBead = /^polecat\/[^/]+\/(.+?)(?:@[a-z0-9]+)?$/u.exec(session.gitBranch ?? '')?.[1];
  if (branchBead != null) started(branchBead, 0, at(0, 'branch', `gitBranch ${session.gitBranch ?? ''}`));
  // 4. State-changing bd/gt calls, confirmed by their stdout markers.
  for (const use of toolUses) readBeadCalls(use, identity, at, note, started);
  // 4b. forge's outcome-tagging extension recorded the run's confirmed bd/gt calls first-hand.
  for (const tag of session.forgeEntries?.beads ?? []) readOutcomeTag(tag, toolUses, file, note, started);
  // 5. Town events: dispatches to this agent, its `done`. 6. Bead events by this agent inside the session.
  const messageAt = (time: number): number => Math.max(0, times.findIndex((messageTime) => messageTime >= time));
  if (identity != null) readTownEvents(identity.identity, window, index, note, started);
  if (identity != null) readBeadEvents(identity.identity, window, [...notes.keys()], index, note, (id, evidence, time) => started(id, messageAt(time), evidence));
  // Mentions: any other known bead id in the session's text (listed as `mentioned`, no evidence of work).
  const prefixes = index.prefixes.length === 0 ? undefined : index.prefixes;
  for (const message of session.messages) {
    for (const id of findBeadIds(scannableText(message), prefixes)) if (!notes.has(id) && (index.bead(id) != null || prefixes == null)) note(id);
  }

  const beads: SessionLinks['beads'] = [];
  const starts = new Map<string, { index: number; at: number }>();
  for (const [id, entry] of [...notes].sort(([left], [right]) => left.localeCompare(right))) {
    const role = roleOf(id, entry, identity, index);
    beads.push({ id, role, evidence: entry.evidence });
    if (role === 'worked') starts.set(id, entry.start ?? { index: 0, at: start });
  }
  const linkage: SessionLinkage = {
    sessionId: session.id,
    file,
    window,
    links: { beads, segments: segmentsOf(starts, session.messages.length) },
    starts,
    commits: [],
    toolUses,
  };
  if (identity != null) {
    linkage.identity = identity;
    linkage.links.identity = identity.identity;
  }
  if (place != null) linkage.place = place;
  const repository = place?.repository == null ? undefined : index.repository(place.repository);
  if (repository != null) {
    linkage.repositoryId = repository.repository.id;
    linkage.commits = linkCommits(session, repository, linkage, index, at);
  }
  return linkage;
}

function roleOf(id: string, entry: BeadNote, identity: SessionIdentity | undefined, index: OutcomeIndex): Role {
  const type = index.bead(id)?.issueType;
  const isWork = !(type != null && nonWorkTypes.has(type)) && index.bead(id)?.mergeRequest == null;
  if (!isWork) return 'mentioned';
  if (entry.start != null) return 'worked';
  // A close without a claim is work for a worker, not for a patrol that closes what others did.
  if (entry.finished && identity?.patrol !== true) return 'worked';
  if (entry.created) return 'created';
  if (entry.finished || entry.touched) return 'touched';
  return 'mentioned';
}

function readBeadCalls(
  use: ToolUse,
  identity: SessionIdentity | undefined,
  at: (messageIndex: number, signal: LinkEvidence['signal'], detail: string) => LinkEvidence,
  note: (id: string) => BeadNote,
  started: (id: string, messageIndex: number, evidence: LinkEvidence) => void,
): void {
  const commands = shellCommandsOf(use);
  const output = use.result?.text ?? '';
  const markers = use.result?.isError === true ? [] : findMarkers(output);
  if (commands == null) {
    readBeadToolCall(use, markers, at, note, started);
    return;
  }
  for (const argv of commands) {
    const parsed = readBeadCommand(argv, identity?.identity);
    if (parsed == null) continue;
    const confirmed = (id: string, actions: Marker['action'][]): Marker | undefined => markers.find((marker) => marker.id === id && actions.includes(marker.action));
    const describe = (marker: Marker | undefined): string => `${parsed.text}${marker == null ? '' : ` → ${marker.line}`}`;
    switch (parsed.effect) {
      case 'start':
      case 'finish': {
        const actions: Marker['action'][] = parsed.tool === 'gt' ? (parsed.verb === 'done' ? ['done'] : ['hooked', 'updated']) : parsed.verb === 'close' ? ['closed'] : parsed.verb === 'reopen' ? ['reopened'] : ['updated'];
        // `gt done` names no bead: its output does (`Issue: <id>`).
        const ids = parsed.ids.length > 0 ? parsed.ids : markers.filter((marker) => actions.includes(marker.action)).map((marker) => marker.id);
        for (const id of ids) {
          const marker = confirmed(id, actions);
          // gt prints no marker for sling/hook: the call succeeding is what there is.
          const ok = marker != null || (parsed.tool === 'gt' && parsed.verb !== 'done' && use.result != null && !use.result.isError);
          if (!ok) {
            note(id).evidence.push(at(use.index, 'tool-call', `${describe(undefined)} (no stdout marker: not counted)`));
            continue;
          }
          const evidence = at(use.index, 'tool-call', describe(marker));
          if (parsed.effect === 'start') started(id, use.index, evidence);
          else {
            note(id).finished = true;
            note(id).evidence.push(evidence);
          }
        }
        break;
      }
      case 'create':
        for (const marker of markers.filter((found) => found.action === 'created')) {
          note(marker.id).created = true;
          note(marker.id).evidence.push(at(use.index, 'tool-call', describe(marker)));
        }
        break;
      case 'note':
      case 'dispatch':
        for (const id of parsed.ids) {
          const marker = confirmed(id, ['updated']);
          if (marker == null && parsed.effect === 'note') continue;
          note(id).touched = true;
          note(id).evidence.push(at(use.index, 'tool-call', describe(marker)));
        }
        break;
      case 'read':
        break;
    }
  }
}

/** Beads MCP tools (`mcp__beads__update`, `…__close`, `…__claim`, `…__create`) carry the id as an argument. */
function readBeadToolCall(
  use: ToolUse,
  markers: Marker[],
  at: (messageIndex: number, signal: LinkEvidence['signal'], detail: string) => LinkEvidence,
  note: (id: string) => BeadNote,
  started: (id: string, messageIndex: number, evidence: LinkEvidence) => void,
): void {
  const match = /(?:^|__)(?:beads?[\w-]*__)(update|close|claim|reopen|create)$/u.exec(use.name);
  if (match == null || use.result == null || use.result.isError) return;
  const id = [use.args?.issue_id, use.args?.id].find((value): value is string => typeof value === 'string');
  const verb = match[1]!;
  const detail = `${use.name} ${use.argumentsText}`;
  if (verb === 'create') {
    const created = markers.find((marker) => marker.action === 'created')?.id ?? findJsonId(use.result.text);
    if (created != null) {
      note(created).created = true;
      note(created).evidence.push(at(use.index, 'tool-call', detail));
    }
    return;
  }
  if (id == null) return;
  const status = use.args?.status;
  if (verb === 'claim' || verb === 'reopen' || status === 'in_progress' || status === 'hooked') started(id, use.index, at(use.index, 'tool-call', detail));
  else if (verb === 'close' || status === 'closed') {
    note(id).finished = true;
    note(id).evidence.push(at(use.index, 'tool-call', detail));
  } else {
    note(id).touched = true;
    note(id).evidence.push(at(use.index, 'tool-call', detail));
  }
}

/**
 * A `forge.outcome.beads` entry (pi/omp outcome-tagging): each confirmed, successful operation is
 * evidence at the entry's line, placed at the tool call it came from — claims and reopens start
 * work, closes finish it, creates create.
 */
function readOutcomeTag(
  tag: NonNullable<ScoringView['forgeEntries']>['beads'][number],
  toolUses: readonly ToolUse[],
  file: string,
  note: (id: string) => BeadNote,
  started: (id: string, messageIndex: number, evidence: LinkEvidence) => void,
): void {
  for (const operation of tag.operations) {
    if (!operation.confirmed || operation.isError === true) continue;
    const messageIndex = toolUses.find((use) => use.callId === operation.toolCallId)?.index ?? 0;
    const detail = `forge.outcome.beads: ${operation.program} ${operation.command} ${operation.beadIds.join(' ')}${operation.status == null ? '' : ` → ${operation.status}`}`;
    for (const id of operation.beadIds) {
      const evidence: LinkEvidence = { signal: 'outcome-tag', detail, file, line: tag.line };
      if (operation.command === 'reopen' || (operation.command === 'update' && (operation.status === 'in_progress' || operation.status === 'hooked'))) started(id, messageIndex, evidence);
      else {
        const entry = note(id);
        entry.evidence.push(evidence);
        if (operation.command === 'close') entry.finished = true;
        else if (operation.command === 'create') entry.created = true;
        else entry.touched = true;
      }
    }
  }
}

function readTownEvents(
  identity: string,
  window: SessionLinkage['window'],
  index: OutcomeIndex,
  note: (id: string) => BeadNote,
  started: (id: string, messageIndex: number, evidence: LinkEvidence) => void,
): void {
  const where = (event: { source: { file: string; line?: number } }): Pick<LinkEvidence, 'file' | 'line'> => ({ file: event.source.file, ...(event.source.line == null ? {} : { line: event.source.line }) });
  for (const event of index.townEvents('sling', { target: identity })) {
    const time = Date.parse(event.at);
    const bead = event.payload.bead;
    if (typeof bead !== 'string' || time < window.start - dispatchLead || time > window.end) continue;
    started(bead, 0, { signal: 'town-event', detail: `sling ${bead} → ${identity} by ${event.actor ?? '?'} at ${event.at}`, ...where(event) });
  }
  for (const event of index.townEvents('done', { actor: identity })) {
    const time = Date.parse(event.at);
    const bead = event.payload.bead;
    if (typeof bead !== 'string' || time < window.start || time > window.end + 5 * minute) continue;
    note(bead).finished = true;
    note(bead).evidence.push({ signal: 'town-event', detail: `done ${bead} by ${identity} at ${event.at}`, ...where(event) });
  }
}

function readBeadEvents(
  identity: string,
  window: SessionLinkage['window'],
  ids: string[],
  index: OutcomeIndex,
  note: (id: string) => BeadNote,
  started: (id: string, evidence: LinkEvidence, time: number) => void,
): void {
  for (const id of ids) {
    for (const event of index.events(id)) {
      const time = Date.parse(event.at);
      if (event.actor !== identity || time < window.start || time > window.end + minute) continue;
      const evidence: LinkEvidence = { signal: 'bead-event', detail: `${event.kind} ${event.from ?? ''}→${event.to ?? ''} by ${identity} at ${event.at}`, file: event.source.file, ...(event.source.line == null ? {} : { line: event.source.line }) };
      if (event.kind === 'reopened' || (event.kind === 'status' && (event.to === 'in_progress' || event.to === 'hooked'))) started(id, evidence, time);
      else if (event.kind === 'closed') {
        note(id).finished = true;
        note(id).evidence.push(evidence);
      }
    }
  }
}

/** Splits the session at each worked bead's first start signal (claim, sling, hook); the first segment starts at 0. */
function segmentsOf(starts: Map<string, { index: number }>, messageCount: number): SessionLinks['segments'] {
  const last = Math.max(0, messageCount - 1);
  const ordered = [...starts].sort(([leftId, left], [rightId, right]) => left.index - right.index || leftId.localeCompare(rightId));
  if (ordered.length === 0) return [{ beadId: null, from: 0, to: last }];
  const segments: SessionLinks['segments'] = [];
  ordered.forEach(([beadId, { index }], position) => {
    const from = position === 0 ? 0 : index;
    const next = ordered[position + 1];
    const to = next == null ? last : Math.max(from, next[1].index - 1);
    // Two beads started by the same message share it: the later one gets no segment of its own.
    if (position > 0 && from === segments[segments.length - 1]!.from) return;
    segments.push({ beadId, from, to });
  });
  return segments;
}

function linkCommits(
  session: ScoringView,
  repository: RepositoryIndex,
  linkage: SessionLinkage,
  index: OutcomeIndex,
  at: (messageIndex: number, signal: LinkEvidence['signal'], detail: string) => LinkEvidence,
): CommitLink[] {
  const { window } = linkage;
  // A commit authored before the session began is not one it made (the machine's clock serves both),
  // nor one authored after the agent moved on: a later attempt on its bead, or its next session.
  // git stamps author times to the second: a commit made in the session's first second is stamped before its start.
  const from = Math.floor(window.start / 1000) * 1000;
  const until = windowEnd(linkage, index);
  const links = new Map<string, CommitLink>();
  const add = (commit: Commit, strength: CommitLink['strength'], evidence: LinkEvidence): void => {
    const link = links.get(commit.sha) ?? { commit, strength, evidence: [], beads: repository.references.get(commit.sha)?.beads ?? [] };
    if (strength === 'strong') link.strength = 'strong';
    link.evidence.push(evidence);
    links.set(commit.sha, link);
  };
  const inWindow = (commit: Commit): boolean => {
    const time = Date.parse(commit.authorTime);
    return time >= from && time <= until;
  };
  const commitEvidence = (signal: LinkEvidence['signal'], detail: string, commit: Commit): LinkEvidence => ({ signal, detail, commit: commit.sha });

  // `git commit` output in the session: the commits it made, even when rebased since.
  for (const use of linkage.toolUses) {
    if (use.result == null || use.result.isError) continue;
    for (const line of findCommitLines(use.result.text)) {
      const direct = (repository.byShortSha.get(line.sha.slice(0, 7)) ?? []).filter((commit) => commit.sha.startsWith(line.sha));
      const rebased = direct.length > 0 ? [] : commitsAuthoredBetween(repository, from, window.commitsUntil).filter((commit) => commit.subject === line.subject);
      for (const commit of direct) add(commit, 'strong', at(use.index, 'tool-call', line.line));
      for (const commit of rebased) add(commit, 'strong', at(use.index, 'tool-call', `${line.line} (now ${commit.sha.slice(0, 7)}: same subject, rebased)`));
    }
  }
  // Commits naming a worked bead, authored in the window.
  for (const id of linkage.starts.keys()) {
    for (const commit of repository.byBead.get(id) ?? []) if (inWindow(commit)) add(commit, 'strong', commitEvidence('commit-subject', `names (${id})`, commit));
    for (const request of index.mergeRequests(id)) {
      for (const sha of [request.mergeRequest?.mergeCommit, request.mergeRequest?.commitSha]) {
        const commit = sha == null ? undefined : repository.bySha.get(sha);
        if (commit != null && inWindow(commit)) add(commit, 'strong', commitEvidence('merge-request', `${request.id} ${sha === request.mergeRequest?.mergeCommit ? 'merge_commit' : 'commit_sha'}`, commit));
      }
    }
  }
  const identity = linkage.identity;
  const branch = session.gitBranch;
  for (const commit of commitsAuthoredBetween(repository, from, until)) {
    const refs = repository.references.get(commit.sha);
    if (identity != null && refs?.executedBy.includes(identity.identity) === true) add(commit, 'strong', commitEvidence('commit-trailer', `Executed-By: ${identity.identity}`, commit));
    if (branch != null && branch.startsWith('polecat/') && commit.branches.includes(branch)) add(commit, 'strong', commitEvidence('branch', `on ${branch}`, commit));
    if (identity != null && identity.gitNames.includes(commit.authorName)) add(commit, 'strong', commitEvidence('time-window', `authored by ${commit.authorName} in the session window`, commit));
    else if (identity == null && session.source === 'claude-code' && refs?.coAuthors.some((name) => name.startsWith('claude')) === true) add(commit, 'weak', commitEvidence('time-window', 'Co-Authored-By: Claude, in the session window', commit));
    else if (identity == null) add(commit, 'weak', commitEvidence('time-window', `authored by ${commit.authorName} in the session window`, commit));
  }
  return collapseRebased([...links.values()]);
}

/** The end of the session's commit window: `commitWindowMinutes` after its end, cut at the next attempt on its beads or its agent's next session. */
function windowEnd(linkage: SessionLinkage, index: OutcomeIndex): number {
  let until = linkage.window.commitsUntil;
  const after = linkage.window.end;
  for (const id of linkage.starts.keys()) {
    for (const attempt of index.lifecycle(id).attempts) {
      // bd stamps to the second: an attempt stamped in the session's last second may still follow it.
      const start = Date.parse(attempt.start);
      if (start + 1000 > after && start < until) until = Math.max(start, after);
    }
  }
  const identity = linkage.identity?.identity;
  if (identity != null) {
    for (const event of index.townEvents('session_start', { actor: identity })) {
      const start = Date.parse(event.at);
      if (start > after && start < until) until = start;
    }
  }
  return until;
}

/**
 * A rebase keeps author, author time and message but changes the sha: of such a pair keep the
 * landed copy, with the evidence of both.
 */
function collapseRebased(links: CommitLink[]): CommitLink[] {
  const groups = new Map<string, CommitLink[]>();
  for (const link of links) {
    const key = `${link.commit.authorTime}\u0000${link.commit.authorEmail}\u0000${link.commit.subject}`;
    groups.set(key, [...(groups.get(key) ?? []), link]);
  }
  const kept: CommitLink[] = [];
  for (const group of groups.values()) {
    const best = group.find((link) => link.commit.landed) ?? group[0]!;
    for (const other of group) {
      if (other === best) continue;
      best.evidence.push(...other.evidence);
      if (other.strength === 'strong') best.strength = 'strong';
    }
    kept.push(best);
  }
  return kept.sort((left, right) => Date.parse(left.commit.authorTime) - Date.parse(right.commit.authorTime) || left.commit.sha.localeCompare(right.commit.sha));
}
