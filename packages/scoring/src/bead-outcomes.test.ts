import { describe, expect, it } from 'vitest';
import { type Attempt, type BeadLifecycle } from './bead-lifecycle.js';
import { beadOutcomes } from './bead-outcomes.js';
import { type OutcomeIndex } from './index-outcomes.js';
import { type SessionLinkage } from './link-session.js';

// bd stamps events to the second; a busy machine starts an agent slowly and a stub model answers
// fast, so a session's start signal can lie far from its attempt's dispatch and close to the next one.
const at = (seconds: number): string => new Date(Date.UTC(2026, 11, 5, 3, 46, seconds)).toISOString().replace('.000Z', 'Z');
const ms = (seconds: number, millis = 0): number => Date.parse(at(seconds)) + millis;

function lifecycleOf(attempts: Attempt[]): BeadLifecycle {
  return { id: 'dm-c3d4', status: 'closed', attempts, reopened: true, redispatched: false, noChanges: false, merged: true, firstTry: false };
}

function outcomeOf(lifecycle: BeadLifecycle, startedAt: number, window: { start: number; end: number }) {
  const index = { lifecycle: () => lifecycle, repository: () => undefined } as unknown as OutcomeIndex;
  const linkage = {
    sessionId: 's',
    file: 'f',
    window: { ...window, commitsUntil: window.end },
    links: { beads: [{ id: 'dm-c3d4', role: 'worked', evidence: [] }], segments: [] },
    starts: new Map([['dm-c3d4', { index: 0, at: startedAt }]]),
    commits: [],
    toolUses: [],
  } as unknown as SessionLinkage;
  return beadOutcomes(linkage, index)[0]!;
}

const reopenedThenReworked = lifecycleOf([
  { number: 1, start: at(0), end: at(14), result: 'closed', closeReasons: [] },
  { number: 2, start: at(15), end: at(40), result: 'closed', closeReasons: ['Merged in dm-wisp-m2'] },
]);

describe('beadOutcomes attempt placement', () => {
  it('should place a slow-starting session in the attempt whose span holds its start, not the nearer next one', () => {
    const outcome = outcomeOf(reopenedThenReworked, ms(13), { start: ms(13), end: ms(14, 500) });
    expect(outcome).toMatchObject({ attempt: 1, tier: 'reopened' });
  });

  it('should count an attempt stamped to the second as lasting that whole second', () => {
    const outcome = outcomeOf(reopenedThenReworked, ms(14, 700), { start: ms(14, 700), end: ms(14, 900) });
    expect(outcome).toMatchObject({ attempt: 1, tier: 'reopened' });
  });

  it('should give a second shared by a close and the next dispatch to the attempt the session closed', () => {
    const sameSecond = lifecycleOf([
      { number: 1, start: at(0), end: at(15), result: 'closed', closeReasons: [] },
      { number: 2, start: at(15), end: at(40), result: 'closed', closeReasons: [] },
    ]);
    expect(outcomeOf(sameSecond, ms(15, 100), { start: ms(15, 100), end: ms(15, 600) })).toMatchObject({ attempt: 1, tier: 'reopened' });
    expect(outcomeOf(sameSecond, ms(17), { start: ms(17), end: ms(30) })).toMatchObject({ attempt: 2, tier: 'rework' });
  });

  it('should fall back to the nearest attempt within the tolerance, preferring one under way', () => {
    expect(outcomeOf(reopenedThenReworked, ms(41), { start: ms(41), end: ms(50) })).toMatchObject({ attempt: 2 });
    expect(outcomeOf(reopenedThenReworked, ms(0) - 20_000, { start: ms(0) - 20_000, end: ms(5) })).toMatchObject({ attempt: 1 });
  });

  it('should carry the bead\'s title and issue type from its store record', () => {
    const typed: BeadLifecycle = { ...reopenedThenReworked, bead: { id: 'dm-c3d4', status: 'closed', title: 'Add farewell()', issueType: 'feature', labels: [], dependencies: [], source: { file: '.beads/issues.jsonl', line: 1 } } };
    expect(outcomeOf(typed, ms(13), { start: ms(13), end: ms(14) })).toMatchObject({ title: 'Add farewell()', issueType: 'feature' });
    expect(outcomeOf(reopenedThenReworked, ms(13), { start: ms(13), end: ms(14) })).not.toHaveProperty('issueType');
  });
});
