import { type OutcomeTier, type SessionScore, type SessionSource } from '@forge/schema';
import { compareStrings } from '../conversation/infer-tool-definitions.js';

/**
 * What a pair compares: two attempts at one bead, two branches of one session tree (the one
 * continued vs the one abandoned), or attempts at two beads of the same issue type (a closure vs a failure).
 */
export type PairKind = 'same-bead' | 'sibling-branch' | 'same-type';

/** What `--pair-by` takes: which kinds of pair to build (`bead` → same-bead, `branch` → sibling-branch, `type` → same-type). */
export const pairByChoices = ['bead', 'branch', 'type'] as const;
export type PairBy = (typeof pairByChoices)[number];

/** The kinds built unless asked otherwise: same-type pairs only when asked. */
export const defaultPairBy: readonly PairBy[] = ['bead', 'branch'];

/** What the planner needs of a session: who it is, which branch of which file, and its score. */
export interface PairCandidate {
  sessionId: string;
  source: SessionSource;
  /** The session file the branch was read from: branches of one file are siblings. */
  file: string;
  branch: { leafId: string | null; isActive: boolean };
  /** The session's score (`forge score`); null when it was not scored. */
  score: SessionScore | null;
}

/** One side of a pair, or the one session of an unpaired (KTO) row. */
export interface PairSide {
  sessionId: string;
  source: SessionSource;
  score: number | null;
  /** How this session's attempt at the bead ended (same-bead and same-type pairs, singles). */
  tier: OutcomeTier | null;
  /** Same-type pairs, whose sides worked different beads: this side's bead and its issue type. */
  bead?: string;
  issueType?: string;
}

/** A pair the planner chose: its sessions' content is joined at merge time. */
export interface PlannedPair {
  kind: PairKind;
  /** The bead both attempts worked (same-bead), else null (same-type pairs name each side's bead). */
  bead: string | null;
  chosen: PairSide;
  rejected: PairSide;
  /** chosen score − rejected score, rounded to 4 places; null when either is unscored. */
  margin: number | null;
}

/** A bead's only attempt: one unpaired KTO row, desirable when it closed the bead. */
export interface PlannedSingle {
  bead: string;
  session: PairSide;
  label: boolean;
}

/** Why a bead or a branch group gave no pair, or why a pair was dropped. */
export interface PairNote {
  /** `bead:<id>` or `<source>:<file>`. */
  ref: string;
  reason: string;
}

/** The planner's answer: pairs, singles and the notes that say why the rest gave none. */
export interface PairPlan {
  pairs: PlannedPair[];
  singles: PlannedSingle[];
  notes: PairNote[];
}

/** Options of {@link planPairs}. */
export interface PlanPairsOptions {
  /** Which kinds to build (default {@link defaultPairBy}: same-bead and sibling-branch). */
  pairBy?: readonly PairBy[];
  /**
   * Same-bead and same-type pairs whose margin (score difference) is below this are dropped (default
   * {@link defaultMinMargin}). Sibling-branch pairs are not filtered: their label is the user's choice.
   */
  minMargin?: number;
}

/** Default `--min-margin`: a tenth of the score range. */
export const defaultMinMargin = 0.1;

/** Attempts that closed their bead, best first. */
const closingTiers: readonly OutcomeTier[] = ['first-try', 'no-changes', 'rework'];
/** Attempts that failed: closed then reopened, taken away, or left behind. */
const failedTiers: readonly OutcomeTier[] = ['reopened', 'redispatched', 'abandoned'];

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

function marginOf(chosen: PairSide, rejected: PairSide): number | null {
  return chosen.score == null || rejected.score == null ? null : round(chosen.score - rejected.score);
}

function side(candidate: PairCandidate, tier: OutcomeTier | null): PairSide {
  return { sessionId: candidate.sessionId, source: candidate.source, score: candidate.score?.score ?? null, tier };
}

/** One session's attempt at one bead. */
interface BeadAttempt {
  candidate: PairCandidate;
  tier: OutcomeTier | null;
  issueType: string | undefined;
}

/** Closing attempts best first: first try before no-changes before rework, then the higher score. */
function closingOrder(left: BeadAttempt, right: BeadAttempt): number {
  return closingTiers.indexOf(left.tier!) - closingTiers.indexOf(right.tier!) || (right.candidate.score?.score ?? 0) - (left.candidate.score?.score ?? 0);
}

/** Attempts that closed the bead, best first ({@link closingOrder}). */
function closingAttempts(attempts: readonly BeadAttempt[]): BeadAttempt[] {
  return attempts.filter(({ tier }) => tier != null && closingTiers.includes(tier)).sort(closingOrder);
}

/** Attempts that were reopened, re-dispatched or abandoned, in session order. */
function failedAttempts(attempts: readonly BeadAttempt[]): BeadAttempt[] {
  return attempts.filter(({ tier }) => tier != null && failedTiers.includes(tier));
}

/** Every active branch's attempts, by bead id (sessions in the planner's order). */
function attemptsByBead(candidates: readonly PairCandidate[]): Map<string, BeadAttempt[]> {
  const byBead = new Map<string, BeadAttempt[]>();
  for (const candidate of candidates) {
    if (!candidate.branch.isActive) continue;
    for (const bead of candidate.score?.outcome?.beads ?? []) {
      const attempts = byBead.get(bead.id) ?? [];
      attempts.push({ candidate, tier: bead.tier, issueType: bead.issueType });
      byBead.set(bead.id, attempts);
    }
  }
  return byBead;
}

function marginNote(pair: PlannedPair, minMargin: number): string {
  return `pair ${pair.chosen.sessionId} > ${pair.rejected.sessionId} dropped: margin ${pair.margin ?? 'unknown (unscored)'} is below --min-margin ${minMargin}`;
}

/**
 * Plans the preference data of a set of sessions; pure and deterministic (any input order gives
 * the same plan).
 *
 * - same-bead: per bead, the attempt that closed it (first try before rework, then the higher
 *   score) is chosen; every attempt that was reopened, re-dispatched or abandoned is rejected.
 *   Only active branches count as attempts. A bead with one attempt gives a single (KTO) row.
 * - sibling-branch: per session file with several branches, the active branch is chosen and each
 *   abandoned one rejected.
 * - same-type (only when asked): see {@link planSameType}.
 */
export function planPairs(candidates: readonly PairCandidate[], options: PlanPairsOptions = {}): PairPlan {
  const pairBy = new Set(options.pairBy ?? defaultPairBy);
  const minMargin = options.minMargin ?? defaultMinMargin;
  const ordered = [...candidates].sort((left, right) => compareStrings(`${left.source}:${left.sessionId}`, `${right.source}:${right.sessionId}`));
  const plan: PairPlan = { pairs: [], singles: [], notes: [] };
  const byBead = pairBy.has('bead') || pairBy.has('type') ? attemptsByBead(ordered) : new Map<string, BeadAttempt[]>();
  if (pairBy.has('bead')) planSameBead(byBead, minMargin, plan);
  if (pairBy.has('branch')) planSiblingBranches(ordered, plan);
  if (pairBy.has('type')) planSameType(byBead, minMargin, plan);
  return plan;
}

function planSameBead(byBead: ReadonlyMap<string, readonly BeadAttempt[]>, minMargin: number, plan: PairPlan): void {
  for (const bead of [...byBead.keys()].sort(compareStrings)) {
    const attempts = byBead.get(bead)!;
    const ref = `bead:${bead}`;
    const tiers = attempts.map(({ tier }) => tier ?? 'unknown').join(', ');
    const closing = closingAttempts(attempts);
    const failed = failedAttempts(attempts);
    if (attempts.length === 1) {
      const [only] = attempts;
      if (closing.length === 1 || failed.length === 1) plan.singles.push({ bead, session: side(only!.candidate, only!.tier), label: closing.length === 1 });
      plan.notes.push({ ref, reason: `one attempt (${tiers}): no same-bead pair${closing.length + failed.length === 1 ? ', one KTO row' : ''}` });
      continue;
    }
    if (closing.length === 0) {
      plan.notes.push({ ref, reason: `no attempt closed the bead (${attempts.length} attempts: ${tiers}): no same-bead pair` });
      continue;
    }
    if (failed.length === 0) {
      plan.notes.push({ ref, reason: `no attempt failed (${attempts.length} attempts: ${tiers}): no same-bead pair` });
      continue;
    }
    const best = closing[0]!;
    for (const rejected of failed) {
      const pair: PlannedPair = { kind: 'same-bead', bead, chosen: side(best.candidate, best.tier), rejected: side(rejected.candidate, rejected.tier), margin: null };
      pair.margin = marginOf(pair.chosen, pair.rejected);
      if (pair.margin == null || pair.margin < minMargin) {
        plan.notes.push({ ref, reason: marginNote(pair, minMargin) });
        continue;
      }
      plan.pairs.push(pair);
    }
  }
}

function planSiblingBranches(candidates: readonly PairCandidate[], plan: PairPlan): void {
  const byFile = new Map<string, PairCandidate[]>();
  for (const candidate of candidates) {
    const key = `${candidate.source}:${candidate.file}`;
    byFile.set(key, [...(byFile.get(key) ?? []), candidate]);
  }
  for (const ref of [...byFile.keys()].sort(compareStrings)) {
    const branches = byFile.get(ref)!;
    if (branches.length < 2) continue;
    const active = branches.filter((branch) => branch.branch.isActive);
    if (active.length !== 1) {
      plan.notes.push({ ref, reason: `${branches.length} branches but ${active.length} active ones: no sibling-branch pair` });
      continue;
    }
    const chosen = side(active[0]!, null);
    for (const abandoned of branches.filter((branch) => !branch.branch.isActive)) {
      const rejected = side(abandoned, null);
      plan.pairs.push({ kind: 'sibling-branch', bead: null, chosen, rejected, margin: marginOf(chosen, rejected) });
    }
  }
}

/**
 * same-type: beads of one issue type (bd's `issue_type`) pair a closure of one bead with a failure
 * of another. Each bead offers at most one chosen side, its best closing attempt (as same-bead
 * picks it), and at most one rejected side, its lowest-scoring failed attempt (ties: session
 * order). Per type, the chosen sides in order (best tier, then higher score, then bead id) each
 * take the first rejected side not yet taken (lowest score first, then bead id) that is of another
 * bead and clears `--min-margin`; so every bead is used at most once per side. Beads without a
 * known type are left out.
 */
function planSameType(byBead: ReadonlyMap<string, readonly BeadAttempt[]>, minMargin: number, plan: PairPlan): void {
  const byType = new Map<string, { chosen: { bead: string; attempt: BeadAttempt }[]; rejected: { bead: string; attempt: BeadAttempt }[] }>();
  for (const bead of [...byBead.keys()].sort(compareStrings)) {
    const attempts = byBead.get(bead)!;
    const issueType = attempts.find((attempt) => attempt.issueType != null)?.issueType;
    if (issueType == null) continue;
    const sides = byType.get(issueType) ?? { chosen: [], rejected: [] };
    byType.set(issueType, sides);
    const best = closingAttempts(attempts)[0];
    if (best != null) sides.chosen.push({ bead, attempt: best });
    const worst = failedAttempts(attempts).sort((left, right) => (left.candidate.score?.score ?? 0) - (right.candidate.score?.score ?? 0))[0];
    if (worst != null) sides.rejected.push({ bead, attempt: worst });
  }
  for (const issueType of [...byType.keys()].sort(compareStrings)) {
    const { chosen, rejected } = byType.get(issueType)!;
    const ref = `type:${issueType}`;
    if (chosen.length === 0 || rejected.length === 0) {
      plan.notes.push({ ref, reason: `${chosen.length} closed and ${rejected.length} failed beads of type ${issueType}: no same-type pair` });
      continue;
    }
    chosen.sort((left, right) => closingOrder(left.attempt, right.attempt) || compareStrings(left.bead, right.bead));
    rejected.sort((left, right) => (left.attempt.candidate.score?.score ?? 0) - (right.attempt.candidate.score?.score ?? 0) || compareStrings(left.bead, right.bead));
    const taken = new Set<string>();
    for (const winner of chosen) {
      let dropped: PlannedPair | undefined;
      const match = rejected.find((loser) => {
        if (taken.has(loser.bead) || loser.bead === winner.bead) return false;
        const pair = typePair(issueType, winner, loser);
        if (pair.margin != null && pair.margin >= minMargin) return true;
        dropped ??= pair;
        return false;
      });
      if (match == null) {
        plan.notes.push({ ref, reason: dropped == null ? `no failed bead of type ${issueType} left to pair with ${winner.bead}` : marginNote(dropped, minMargin) });
        continue;
      }
      taken.add(match.bead);
      plan.pairs.push(typePair(issueType, winner, match));
    }
  }
}

function typePair(issueType: string, winner: { bead: string; attempt: BeadAttempt }, loser: { bead: string; attempt: BeadAttempt }): PlannedPair {
  const chosen = { ...side(winner.attempt.candidate, winner.attempt.tier), bead: winner.bead, issueType };
  const rejected = { ...side(loser.attempt.candidate, loser.attempt.tier), bead: loser.bead, issueType };
  return { kind: 'same-type', bead: null, chosen, rejected, margin: marginOf(chosen, rejected) };
}
