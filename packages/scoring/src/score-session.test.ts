import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readClaudeSession } from '@forge/extract-claude';
import { parseScoringConfig, parseSessionScore, type Outcomes, type Session } from '@forge/schema';
import { indexOutcomes } from './index-outcomes.js';
import { scoreSession } from './score-session.js';
import { ScoreSummarizer, selectForReview, summarizeScores } from './summarize-scores.js';

const empty: Outcomes = { outcomesVersion: 1, stores: [], towns: [], repositories: [], places: [], facets: [], warnings: [] };
const transcript = join(import.meta.dirname, '..', 'test', 'fixtures', 'gastown', 'claude', 'projects', '-home-dev-gt-gastown-polecats-nux-gastown', '15b2db23-256a-4bd0-920e-e73fd02de97d.jsonl');
let session: Session;

beforeAll(async () => {
  [session] = (await readClaudeSession(transcript)) as [Session];
});

describe('scoreSession without outcomes', () => {
  it('should say the outcome is unknown and rest on heuristics alone, in the published shape', () => {
    const score = scoreSession(session, indexOutcomes(empty));
    expect(parseSessionScore(JSON.parse(JSON.stringify(score)))).toEqual(score);
    expect(score).toMatchObject({ sessionId: session.id, source: 'claude-code', file: transcript, outcomeKnown: false, outcome: null });
    expect(score.reasons).toContain('outcome unknown: the score rests on heuristics alone');
    expect(score.signals.outcome).toEqual({ value: 'unknown', score: null, weight: 0, reason: 'linked to gt-k3m9p, which no beads store read holds; no commit linked' });
    expect(score.score).toBe(score.signals.heuristics?.score);
    // The beacon still names the bead: the link is kept even with no store to judge it.
    expect(score.links.beads.find((bead) => bead.id === 'gt-k3m9p')?.role).toBe('worked');
  });

  it('should let a verdict override the computed score, except skip', () => {
    const index = indexOutcomes(empty);
    const computed = scoreSession(session, index).score;
    const bad = scoreSession(session, index, { verdict: { sessionId: session.id, verdict: 'bad', by: 'gastown/witness', note: 'wrong fix' } });
    expect(bad.score).toBe(0);
    expect(bad.reasons[0]).toBe('verdict bad by gastown/witness: wrong fix (overrides the computed score)');
    expect(scoreSession(session, index, { verdict: { sessionId: session.id, verdict: 'good' } }).score).toBe(1);
    expect(scoreSession(session, index, { verdict: { sessionId: session.id, verdict: 'skip' } }).score).toBe(computed);
    expect(scoreSession(session, index, { verdict: { sessionId: session.id, verdict: 'good' }, config: parseScoringConfig({ verdicts: { good: 0.9 } }) }).score).toBe(0.9);
  });

  it('should follow the configured weights', () => {
    const index = indexOutcomes(empty);
    const onlyCompletion = parseScoringConfig({ heuristics: { toolErrors: 0, context: 0, validation: 0, corrections: 0, facets: 0 }, thinkingBoost: 0 });
    expect(scoreSession(session, index, { config: onlyCompletion }).score).toBe(1);
  });
});

describe('summarizeScores and selectForReview', () => {
  it('should put scores into ten buckets and pick unknown outcomes near the threshold for review', () => {
    const index = indexOutcomes(empty);
    const base = scoreSession(session, index);
    const scores = [0.05, 0.45, 0.55, 0.62, 1].map((value, position) => ({ ...base, sessionId: `s${position}`, score: value }));
    const summary = summarizeScores(scores);
    expect(summary.scoreDistribution.buckets.map((bucket) => bucket.count)).toEqual([1, 0, 0, 0, 1, 1, 1, 0, 0, 1]);
    expect(summary.scoreDistribution).toMatchObject({ mean: 0.534, p50: 0.55, min: 0.05, max: 1 });
    expect(selectForReview(scores, { threshold: 0.5, margin: 0.15 }).map((score) => score.sessionId)).toEqual(['s1', 's2', 's3']);
  });

  it('should give the same snapshot and summary whatever order the scores came in, split across summarizers or not (a run\'s threads)', () => {
    const index = indexOutcomes(empty);
    const base = scoreSession(session, index);
    const scores = [
      { ...base, score: 0.7, verdict: { sessionId: 's0', verdict: 'good' as const } },
      { ...base, score: 0.2, verdict: { sessionId: 's1', verdict: 'bad' as const } },
      { ...base, score: 0.5 },
      { ...base, score: 0.9, verdict: { sessionId: 's3', verdict: 'skip' as const } },
    ];
    const whole = new ScoreSummarizer();
    for (const score of scores) whole.add(score);
    // Two threads, each with half of the scores in another order, added to a third in reverse.
    const first = new ScoreSummarizer();
    const second = new ScoreSummarizer();
    for (const score of [scores[3]!, scores[1]!]) first.add(score);
    for (const score of [scores[2]!, scores[0]!]) second.add(score);
    const merged = new ScoreSummarizer();
    merged.addSnapshot(second.snapshot());
    merged.addSnapshot(first.snapshot());
    expect(JSON.stringify(merged.snapshot())).toBe(JSON.stringify(whole.snapshot()));
    expect(JSON.stringify(merged.summary())).toBe(JSON.stringify(whole.summary()));
    expect(Object.keys(merged.summary().verdicts)).toEqual(['bad', 'good', 'skip']);
    expect(merged.snapshot().values).toEqual([0.2, 0.5, 0.7, 0.9]);
  });
});
