import { relative, sep } from 'node:path';
import { type FileSessions, type JsonValue } from '@forge/reader-kit';
import { addUsage, emptyUsage, type Message, type Session, type SessionWarning } from '@forge/schema';
import { spawnsSubagent } from './claude-line.js';

/** The link facts a Claude Code file hands `link`: its `summary` titles by leaf uuid (§4.6). */
// A type, not an interface: a JSON value (`JsonValue`) needs its implicit index signature.
export type ClaudeLinkFacts = {
  summaries: [string, string][];
};

/**
 * The cross-file step of one Claude Code project (the files of one `SourceFile.group`): lines
 * copied by resume or fork removed by line uuid (the earliest session keeps them, §7.4), titles
 * from `summary` lines of any file of the project, subagents linked to their parent session and
 * spawning tool call (§7.3). The same files in any order give the same Sessions: they are put in
 * discovery order first. Sessions are updated in place and returned in output order.
 */
export function linkClaudeProject(files: readonly FileSessions[], onWarning: (warning: SessionWarning) => void): Session[] {
  const ordered = [...files].sort((left, right) => compareDiscoveryOrder(left.file.path, right.file.path, left.file.group ?? ''));
  const summaries = new Map<string, string>();
  const main: Session[] = [];
  const subagents: Session[] = [];
  for (const { sessions, linkFacts } of ordered) {
    for (const facts of linkFacts) for (const [leaf, summary] of summariesOf(facts)) if (!summaries.has(leaf)) summaries.set(leaf, summary);
    for (const session of sessions) (session.isSubagent ? subagents : main).push(session);
  }
  const chronological = (left: Session, right: Session): number =>
    left.startedAt.localeCompare(right.startedAt) || left.endedAt.localeCompare(right.endedAt) || (left.files[0] ?? '').localeCompare(right.files[0] ?? '');
  main.sort(chronological);
  subagents.sort(chronological);

  // Copies are removed from active threads only: an abandoned branch keeps the prefix it shares
  // with its active thread (as the pi reader's branches do), and comes after every active one.
  const owned = new Set<string>();
  const kept: Session[] = [];
  const abandoned: Session[] = [];
  for (const session of [...main, ...subagents]) {
    if (!session.branch.isActive) abandoned.push(session);
    else if (removeCopies(session, owned, onWarning)) kept.push(session);
  }
  kept.push(...abandoned);

  const spawnedBy = agentSpawns(kept);
  for (const session of kept) {
    if (session.title == null && !session.isSubagent) {
      const title = titleFromSummaries(session.messages, summaries);
      if (title != null) session.title = title;
    }
    const agentId = session.agent?.id;
    if (!session.isSubagent || agentId == null || session.parent?.toolCallId != null) continue;
    const spawn = spawnedBy.get(agentId);
    if (spawn == null) continue;
    session.parent = { sessionId: spawn.sessionId, toolCallId: spawn.toolCallId };
  }
  return kept;
}

function summariesOf(facts: JsonValue): [string, string][] {
  if (typeof facts !== 'object' || facts == null || Array.isArray(facts) || !Array.isArray(facts.summaries)) return [];
  return facts.summaries.filter((pair): pair is [string, string] => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string');
}

/**
 * The order discovery lists a project's files in: main transcripts, then 2.0.x `agent-*.jsonl`
 * beside them, then the `<session>/subagents/**` files, each level by name.
 */
function compareDiscoveryOrder(left: string, right: string, project: string): number {
  const leftParts = relative(project, left).split(sep);
  const rightParts = relative(project, right).split(sep);
  const rank = (parts: string[]): number => (parts.length > 1 ? 2 : parts[0]?.startsWith('agent-') === true ? 1 : 0);
  const byRank = rank(leftParts) - rank(rightParts);
  if (byRank !== 0) return byRank;
  for (let index = 0; index < Math.min(leftParts.length, rightParts.length); index += 1) {
    const byName = (leftParts[index] ?? '').localeCompare(rightParts[index] ?? '');
    if (byName !== 0) return byName;
  }
  return leftParts.length - rightParts.length;
}

/**
 * Drops messages whose source line an earlier session already owns (resume and fork copies keep the
 * line uuids, §7.4/§7.5). False when nothing of the session is left.
 */
function removeCopies(session: Session, owned: Set<string>, onWarning: (warning: SessionWarning) => void): boolean {
  const before = session.messages.length;
  const messages = session.messages.filter((message) => {
    const first = message.sourceIds?.[0];
    return first == null || !owned.has(first);
  });
  for (const message of messages) for (const id of message.sourceIds ?? []) owned.add(id);
  const removed = before - messages.length;
  if (removed === 0) return true;
  const warning: SessionWarning = {
    file: session.files[0] ?? '',
    kind: 'duplicate',
    message: `${removed} message(s) copied from an earlier session (resume or fork) left out`,
    count: removed,
  };
  if (!messages.some((message) => message.role === 'user' || message.role === 'assistant')) {
    onWarning({ ...warning, message: `session ${session.id} holds only copies of an earlier session; skipped` });
    return false;
  }
  session.messages = messages;
  session.warnings.push(warning);
  let usage = emptyUsage();
  for (const message of messages) if (message.usage != null) usage = addUsage(usage, message.usage);
  session.usage = usage;
  const firstTime = messages.find((message) => message.timestamp != null)?.timestamp;
  if (firstTime != null) session.startedAt = firstTime;
  return true;
}

const agentTrailerPattern = /agentId: ([A-Za-z0-9_-]+)/u;

/** agentId → the session and tool call that spawned it: `toolUseResult.agentId`, else the `agentId: …` trailer (§7.3). */
function agentSpawns(sessions: readonly Session[]): Map<string, { sessionId: string; toolCallId: string }> {
  const spawns = new Map<string, { sessionId: string; toolCallId: string }>();
  for (const session of sessions) {
    for (const message of session.messages) {
      const result = message.toolResult;
      if (message.role !== 'tool' || result == null) continue;
      const structured = message.metadata?.toolUseResult as { agentId?: unknown } | undefined;
      const agentId = typeof structured?.agentId === 'string' ? structured.agentId : spawnsSubagent(result.toolName) ? agentTrailerPattern.exec(result.text)?.[1] : undefined;
      if (agentId != null && !spawns.has(agentId)) spawns.set(agentId, { sessionId: session.id, toolCallId: result.toolCallId });
    }
  }
  return spawns;
}

function titleFromSummaries(messages: readonly Message[], summaries: ReadonlyMap<string, string>): string | undefined {
  if (summaries.size === 0) return undefined;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    for (const id of messages[index]?.sourceIds ?? []) {
      const summary = summaries.get(id);
      if (summary != null) return summary;
    }
  }
  return undefined;
}
