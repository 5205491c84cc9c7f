import { type OutcomeTier, type SessionScore, type SessionSource } from '@forge/schema';
import { compareStrings } from '../conversation/infer-tool-definitions.js';

/** What a pair compares: two attempts at one bead, or two branches of one session tree (the one continued vs the one abandoned). */
export type PairKind = 'same-bead' | 'sibling-branch';

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
  /** How this session's attempt at the bead ended (same-bead pairs and singles). */
  tier: OutcomeTier | null;
}

/** A pair the planner chose: its sessions' content is joined at merge time. */
export interface PlannedPair {
  kind: PairKind;
  /** The bead both attempts worked (same-bead), else null. */
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
  /** Which kinds to build (default both). */
  kinds?: readonly PairKind[];
  /**
   * Same-bead pairs whose margin (score difference) is below this are dropped (default
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

/**
 * Plans the preference data of a set of sessions; pure and deterministic (any input order gives
 * the same plan).
 *
 * - same-bead: per bead, the attempt that closed it (first try before rework, then the higher
 *   score) is chosen; every attempt that was reopened, re-dispatched or abandoned is rejected.
 *   Only active branches count as attempts. A bead with one attempt gives a single (KTO) row.
 * - sibling-branch: per session file with several branches, the active branch is chosen and each
 *   abandoned one rejected.
 */
export function planPairs(candidates: readonly PairCandidate[], options: PlanPairsOptions = {}): PairPlan {
  const kinds = new Set(options.kinds ?? ['same-bead', 'sibling-branch']);
  const minMargin = options.minMargin ?? defaultMinMargin;
  const ordered = [...candidates].sort((left, right) => compareStrings(`${left.source}:${left.sessionId}`, `${right.source}:${right.sessionId}`));
  const plan: PairPlan = { pairs: [], singles: [], notes: [] };
  if (kinds.has('same-bead')) planSameBead(ordered, minMargin, plan);
  if (kinds.has('sibling-branch')) planSiblingBranches(ordered, plan);
  return plan;
}

function planSameBead(candidates: readonly PairCandidate[], minMargin: number, plan: PairPlan): void {
  const byBead = new Map<string, { candidate: PairCandidate; tier: OutcomeTier | null }[]>();
  for (const candidate of candidates) {
    if (!candidate.branch.isActive) continue;
    for (const bead of candidate.score?.outcome?.beads ?? []) {
      const attempts = byBead.get(bead.id) ?? [];
      attempts.push({ candidate, tier: bead.tier });
      byBead.set(bead.id, attempts);
    }
  }
  for (const bead of [...byBead.keys()].sort(compareStrings)) {
    const attempts = byBead.get(bead)!;
    const ref = `bead:${bead}`;
    const tiers = attempts.map(({ tier }) => tier ?? 'unknown').join(', ');
    const closing = attempts
      .filter(({ tier }) => tier != null && closingTiers.includes(tier))
      .sort((left, right) => closingTiers.indexOf(left.tier!) - closingTiers.indexOf(right.tier!) || (right.candidate.score?.score ?? 0) - (left.candidate.score?.score ?? 0));
    const failed = attempts.filter(({ tier }) => tier != null && failedTiers.includes(tier));
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
        plan.notes.push({ ref, reason: `pair ${pair.chosen.sessionId} > ${pair.rejected.sessionId} dropped: margin ${pair.margin ?? 'unknown (unscored)'} is below --min-margin ${minMargin}` });
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
