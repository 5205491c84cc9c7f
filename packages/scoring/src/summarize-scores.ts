import { linkSignals, type OutcomeTier, type ScoreSummary, type SessionScore } from '@forge/schema';

/** What a {@link ScoreSummarizer} has counted, as plain data. */
export interface ScoreSummarizerSnapshot {
  values: number[];
  known: number;
  beadOutcomes: Record<string, number>;
  linkageEvidence: Record<string, number>;
  verdicts: Record<string, number>;
}

/**
 * The manifest's scoring part, built one score at a time (a run keeps only the numbers and
 * counts, never the scores themselves): `add` each, then `summary()`.
 */
export class ScoreSummarizer {
  readonly #values: number[] = [];
  readonly #beadOutcomes: Record<string, number> = {};
  readonly #linkageEvidence: Record<string, number> = Object.fromEntries(linkSignals.map((signal) => [signal, 0]));
  readonly #verdicts: Record<string, number> = {};
  #known = 0;

  add(score: SessionScore): void {
    const count = (counts: Record<string, number>, key: string): void => {
      counts[key] = (counts[key] ?? 0) + 1;
    };
    this.#values.push(score.score);
    if (score.outcomeKnown) this.#known += 1;
    for (const bead of score.outcome?.beads ?? []) count(this.#beadOutcomes, bead.tier ?? 'unknown');
    for (const link of score.links.beads) for (const evidence of link.evidence) count(this.#linkageEvidence, evidence.signal);
    for (const commit of score.outcome?.commits ?? []) for (const evidence of commit.evidence) count(this.#linkageEvidence, evidence.signal);
    if (score.verdict != null) count(this.#verdicts, score.verdict.verdict);
  }

  /**
   * The counts so far as plain data (JSON), for another summarizer to add: shard runs merged into
   * one, a run's threads. The same whatever order the scores were added in (values sorted, keys in order).
   */
  snapshot(): ScoreSummarizerSnapshot {
    return { values: [...this.#values].sort((left, right) => left - right), known: this.#known, beadOutcomes: sortedCounts(this.#beadOutcomes), linkageEvidence: { ...this.#linkageEvidence }, verdicts: sortedCounts(this.#verdicts) };
  }

  /** Adds another summarizer's {@link snapshot}: the summary is then the one of both sets of scores. */
  addSnapshot(snapshot: ScoreSummarizerSnapshot): void {
    const add = (counts: Record<string, number>, more: Record<string, number>): void => {
      for (const [key, count] of Object.entries(more)) counts[key] = (counts[key] ?? 0) + count;
    };
    this.#values.push(...snapshot.values);
    this.#known += snapshot.known;
    add(this.#beadOutcomes, snapshot.beadOutcomes);
    add(this.#linkageEvidence, snapshot.linkageEvidence);
    add(this.#verdicts, snapshot.verdicts);
  }

  /** Score distribution, bead outcomes per tier, link evidence per signal, verdicts. */
  summary(): ScoreSummary {
    const buckets = Array.from({ length: 10 }, (_, position) => ({ from: position / 10, to: (position + 1) / 10, count: 0 }));
    const values = [...this.#values].sort((left, right) => left - right);
    for (const value of values) buckets[Math.min(9, Math.floor(value * 10))]!.count += 1;
    const round = (value: number): number => Math.round(value * 10_000) / 10_000;
    return {
      sessions: values.length,
      scoreDistribution: {
        buckets: buckets.map((bucket) => ({ ...bucket, from: round(bucket.from), to: round(bucket.to) })),
        mean: values.length === 0 ? null : round(values.reduce((sum, value) => sum + value, 0) / values.length),
        p50: values.length === 0 ? null : values[Math.floor((values.length - 1) / 2)]!,
        min: values[0] ?? null,
        max: values[values.length - 1] ?? null,
      },
      outcomeKnown: this.#known,
      outcomeUnknown: values.length - this.#known,
      beadOutcomes: sortedCounts(this.#beadOutcomes),
      linkageEvidence: { ...this.#linkageEvidence },
      verdicts: sortedCounts(this.#verdicts),
    };
  }
}

/** Counts by key in key order: the same object whatever order the keys were first counted in. */
function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([left], [right]) => left.localeCompare(right)));
}

/** The manifest's scoring part: score distribution, bead outcomes per tier, link evidence per signal, verdicts. */
export function summarizeScores(scores: readonly SessionScore[]): ScoreSummary {
  const summarizer = new ScoreSummarizer();
  for (const score of scores) summarizer.add(score);
  return summarizer.summary();
}

/**
 * Sessions a deacon or witness patrol should judge (`forge review`): no known outcome, no verdict
 * yet, and a score within `margin` of `threshold`; closest to the threshold first.
 */
export function selectForReview(scores: readonly SessionScore[], review: { threshold: number; margin: number }): SessionScore[] {
  return scores
    .filter((score) => !score.outcomeKnown && score.verdict == null && Math.abs(score.score - review.threshold) <= review.margin)
    .sort((left, right) => Math.abs(left.score - review.threshold) - Math.abs(right.score - review.threshold) || left.sessionId.localeCompare(right.sessionId));
}

/** One session's part in a bead's life. */
export interface BeadSession {
  sessionId: string;
  /** Which attempt the session was (1-based), null when it could not be placed. */
  attempt: number | null;
  tier: OutcomeTier | null;
}

/** Per bead, the sessions that worked it in attempt order (then by session id): the bead's attempts across a run. */
export function collectBeadSessions(scores: readonly SessionScore[]): Map<string, BeadSession[]> {
  const byBead = new Map<string, BeadSession[]>();
  for (const score of scores) {
    for (const bead of score.outcome?.beads ?? []) {
      const list = byBead.get(bead.id) ?? [];
      list.push({ sessionId: score.sessionId, attempt: bead.attempt, tier: bead.tier });
      byBead.set(bead.id, list);
    }
  }
  for (const list of byBead.values()) list.sort((left, right) => (left.attempt ?? Infinity) - (right.attempt ?? Infinity) || left.sessionId.localeCompare(right.sessionId));
  return new Map([...byBead].sort(([left], [right]) => left.localeCompare(right)));
}
