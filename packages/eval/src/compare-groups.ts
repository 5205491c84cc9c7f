import { usageTokens, type ModelPrices, type Session, type SessionScore } from '@forge/schema';
import { sessionCost } from './session-cost.js';
import { wilsonInterval } from './wilson-interval.js';

/** What `forge compare` groups sessions by. */
export const compareDimensions = ['model', 'source', 'role', 'thinking'] as const;
export type CompareDimension = (typeof compareDimensions)[number];

/** One group's figures. */
export interface CompareGroup {
  /** The group's value of the dimension (`claude-sonnet-4-5`, `pi`, `polecat`, `on`). */
  group: string;
  sessions: number;
  /** Beads the group's sessions worked (each once). */
  beadsAttempted: number;
  /** Beads whose first attempt was the group's and closed them (never reopened). */
  firstTryClosures: number;
  /** firstTryClosures / beads the group made the first attempt at; null when it made none. */
  firstTryClosureRate: number | null;
  /** Wilson 95% interval of that rate. */
  firstTryClosureInterval: { low: number; high: number } | null;
  /** Beads the group's first attempts were made at: the rate's denominator. */
  firstAttempts: number;
  toolCalls: number;
  toolErrors: number;
  /** toolErrors / toolCalls; null without calls. */
  toolErrorRate: number | null;
  /** Beads a session of the group closed (first try, rework or no-changes). */
  closedBeads: number;
  /** Input + output + cache tokens of the group's sessions, over closedBeads; null when none closed. */
  tokensPerClosedBead: number | null;
  /**
   * The group's cost in USD (recorded by the transcripts, else from `prices`) over closedBeads,
   * rounded to 6 places; null when none closed or when any session's cost is unknown (never a partial sum).
   */
  costPerClosedBead: number | null;
  /** Sessions of the group with no recorded cost and no price for their model. */
  costUnknownSessions: number;
  /** The models of those sessions (what `--prices` needs). */
  unpricedModels: string[];
  /** Median assistant turns per session. */
  medianTurns: number;
}

/** Options of {@link compareGroups}. */
export interface CompareGroupsOptions {
  /** USD per million tokens by model, for sessions whose transcript records no cost (`forge compare --prices`). */
  prices?: ModelPrices;
}

/** `forge compare`'s answer: the groups, largest first, and a note when they cannot be told apart. */
export interface CompareResult {
  by: CompareDimension;
  groups: CompareGroup[];
  notes: string[];
}

/** A group needs this many first attempts before its closure rate means much. */
export const smallGroupAttempts = 10;

/** The value of `by` for a session. */
export function groupOf(session: Session, by: CompareDimension): string {
  switch (by) {
    case 'model':
      return session.models[0] ?? 'unknown';
    case 'source':
      return session.source;
    case 'role':
      return session.gastown?.role ?? 'none';
    case 'thinking':
      return session.messages.some((message) => message.reasoning.state !== 'absent') ? 'on' : 'off';
  }
}

const closing = new Set(['first-try', 'no-changes', 'rework']);
const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Groups scored sessions by `by` and computes each group's outcome figures; pure, deterministic.
 * `scores` are in the order of `sessions`.
 */
export function compareGroups(sessions: readonly Session[], scores: readonly SessionScore[], by: CompareDimension, options: CompareGroupsOptions = {}): CompareResult {
  const members = new Map<string, { session: Session; score: SessionScore }[]>();
  sessions.forEach((session, index) => {
    const key = groupOf(session, by);
    members.set(key, [...(members.get(key) ?? []), { session, score: scores[index]! }]);
  });
  const groups = [...members].map(([group, list]): CompareGroup => {
    const attempted = new Set<string>();
    const firstAttempts = new Set<string>();
    const firstTry = new Set<string>();
    const closed = new Set<string>();
    let toolCalls = 0;
    let toolErrors = 0;
    let tokens = 0;
    let cost = 0;
    let costUnknownSessions = 0;
    const unpricedModels = new Set<string>();
    const turns: number[] = [];
    for (const { session, score } of list) {
      for (const bead of score.outcome?.beads ?? []) {
        attempted.add(bead.id);
        if (bead.attempt === 1) firstAttempts.add(bead.id);
        if (bead.tier === 'first-try') firstTry.add(bead.id);
        if (bead.tier != null && closing.has(bead.tier)) closed.add(bead.id);
      }
      for (const message of session.messages) {
        toolCalls += message.toolCalls.length;
        if (message.toolResult?.isError === true) toolErrors += 1;
      }
      tokens += usageTokens(session.usage);
      const spent = sessionCost(session, options.prices);
      if (spent.known) cost += spent.usd;
      else {
        costUnknownSessions += 1;
        for (const model of spent.unpricedModels) unpricedModels.add(model);
      }
      turns.push(session.messages.filter((message) => message.role === 'assistant').length);
    }
    turns.sort((left, right) => left - right);
    const middle = Math.floor(turns.length / 2);
    return {
      group,
      sessions: list.length,
      beadsAttempted: attempted.size,
      firstTryClosures: firstTry.size,
      firstAttempts: firstAttempts.size,
      firstTryClosureRate: firstAttempts.size === 0 ? null : round(firstTry.size / firstAttempts.size),
      firstTryClosureInterval: (() => {
        const interval = wilsonInterval(firstTry.size, firstAttempts.size);
        return interval == null ? null : { low: round(interval.low), high: round(interval.high) };
      })(),
      toolCalls,
      toolErrors,
      toolErrorRate: toolCalls === 0 ? null : round(toolErrors / toolCalls),
      closedBeads: closed.size,
      tokensPerClosedBead: closed.size === 0 ? null : Math.round(tokens / closed.size),
      costPerClosedBead: closed.size === 0 || costUnknownSessions > 0 ? null : Math.round((cost / closed.size) * 1_000_000) / 1_000_000,
      costUnknownSessions,
      unpricedModels: [...unpricedModels].sort(),
      medianTurns: turns.length === 0 ? 0 : turns.length % 2 === 1 ? turns[middle]! : (turns[middle - 1]! + turns[middle]!) / 2,
    };
  });
  groups.sort((left, right) => right.sessions - left.sessions || left.group.localeCompare(right.group));
  return { by, groups, notes: compareNotes(groups) };
}

function compareNotes(groups: readonly CompareGroup[]): string[] {
  const notes: string[] = [];
  const small = groups.filter((group) => group.firstAttempts < smallGroupAttempts).map((group) => group.group);
  if (small.length > 0) notes.push(`too small to tell apart: ${small.join(', ')} (fewer than ${smallGroupAttempts} first attempts each); read their closure rates as rough`);
  const rated = groups.filter((group) => group.firstTryClosureInterval != null);
  for (let left = 0; left < rated.length; left += 1) {
    for (let right = left + 1; right < rated.length; right += 1) {
      const a = rated[left]!.firstTryClosureInterval!;
      const b = rated[right]!.firstTryClosureInterval!;
      if (a.low <= b.high && b.low <= a.high) notes.push(`${rated[left]!.group} and ${rated[right]!.group}: 95% intervals of the first-try closure rate overlap, no difference shown`);
    }
  }
  for (const group of groups) {
    if (group.costUnknownSessions === 0) continue;
    notes.push(`${group.group}: cost unknown for ${group.costUnknownSessions} of ${group.sessions} sessions (no recorded cost, no price for ${group.unpricedModels.join(', ')}): no cost per closed bead; --prices FILE prices them`);
  }
  return notes;
}
