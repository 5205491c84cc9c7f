import { type OutcomeTier, type SessionScore } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { type PreparedConversation, type PreparedTurn } from '../conversation/prepared-conversation.js';
import { planPairs, type PairCandidate } from './plan-pairs.js';
import { splitPair } from './split-pair.js';

function attempt(sessionId: string, score: number, beads: { id: string; tier: OutcomeTier | null; attempt: number; issueType?: string }[], branch = { leafId: 'x', isActive: true }, file = `/s/${sessionId}.jsonl`): PairCandidate {
  const sessionScore: SessionScore = {
    sessionId,
    source: 'pi',
    file,
    score,
    outcomeKnown: beads.length > 0,
    outcome: {
      beads: beads.map((bead) => ({ id: bead.id, status: 'closed', attempts: 2, firstTry: false, reopened: false, redispatched: false, noChanges: false, merged: false, attempt: bead.attempt, tier: bead.tier, ...(bead.issueType == null ? {} : { issueType: bead.issueType }), evidence: [] })),
      commits: [],
      codeSurvival: null,
    },
    signals: {},
    reasons: [],
    links: { beads: [], segments: [] },
  };
  return { sessionId, source: 'pi', file, branch, score: sessionScore };
}

describe('planPairs', () => {
  it('should choose the closing attempt (first try before rework) over each failed one, in any input order', () => {
    const candidates = [
      attempt('a', 0.3, [{ id: 'gt-1', tier: 'reopened', attempt: 1 }]),
      attempt('b', 0.7, [{ id: 'gt-1', tier: 'rework', attempt: 2 }]),
      attempt('c', 0.2, [{ id: 'gt-1', tier: 'abandoned', attempt: 3 }]),
      attempt('d', 0.9, [{ id: 'gt-1', tier: 'in-progress', attempt: 4 }]),
    ];
    const plan = planPairs(candidates);
    expect(plan.pairs.map((pair) => [pair.kind, pair.bead, pair.chosen.sessionId, pair.rejected.sessionId, pair.margin])).toEqual([
      ['same-bead', 'gt-1', 'b', 'a', 0.4],
      ['same-bead', 'gt-1', 'b', 'c', 0.5],
    ]);
    expect(planPairs([...candidates].reverse())).toEqual(plan);
  });

  it('should drop pairs under --min-margin and say so', () => {
    const plan = planPairs([attempt('a', 0.55, [{ id: 'gt-1', tier: 'reopened', attempt: 1 }]), attempt('b', 0.6, [{ id: 'gt-1', tier: 'rework', attempt: 2 }])]);
    expect(plan.pairs).toEqual([]);
    expect(plan.notes).toEqual([{ ref: 'bead:gt-1', reason: 'pair b > a dropped: margin 0.05 is below --min-margin 0.1' }]);
    expect(planPairs([attempt('a', 0.55, [{ id: 'gt-1', tier: 'reopened', attempt: 1 }]), attempt('b', 0.6, [{ id: 'gt-1', tier: 'rework', attempt: 2 }])], { minMargin: 0 }).pairs).toHaveLength(1);
  });

  it('should give no same-bead pair for a bead with only failed attempts, and say why', () => {
    const plan = planPairs([attempt('a', 0.3, [{ id: 'gt-2', tier: 'reopened', attempt: 1 }]), attempt('b', 0.2, [{ id: 'gt-2', tier: 'redispatched', attempt: 2 }])]);
    expect(plan.pairs).toEqual([]);
    expect(plan.singles).toEqual([]);
    expect(plan.notes).toEqual([{ ref: 'bead:gt-2', reason: 'no attempt closed the bead (2 attempts: reopened, redispatched): no same-bead pair' }]);
  });

  it('should make a KTO single of a bead with one attempt, desirable only when it closed the bead', () => {
    const plan = planPairs([attempt('a', 0.9, [{ id: 'gt-3', tier: 'first-try', attempt: 1 }]), attempt('b', 0.2, [{ id: 'gt-4', tier: 'abandoned', attempt: 1 }])]);
    expect(plan.singles.map((single) => [single.bead, single.session.sessionId, single.label])).toEqual([
      ['gt-3', 'a', true],
      ['gt-4', 'b', false],
    ]);
  });

  it('should pair the active branch of a session file with each abandoned one, whatever their scores', () => {
    const plan = planPairs([
      attempt('s', 0.4, [], { leafId: 'l1', isActive: true }, '/s/tree.jsonl'),
      attempt('s@l2', 0.6, [], { leafId: 'l2', isActive: false }, '/s/tree.jsonl'),
    ]);
    expect(plan.pairs).toEqual([
      { kind: 'sibling-branch', bead: null, chosen: { sessionId: 's', source: 'pi', score: 0.4, tier: null }, rejected: { sessionId: 's@l2', source: 'pi', score: 0.6, tier: null }, margin: -0.2 },
    ]);
    expect(planPairs([attempt('s', 0.4, [], { leafId: 'l1', isActive: true }, '/s/tree.jsonl'), attempt('s@l2', 0.6, [], { leafId: 'l2', isActive: false }, '/s/tree.jsonl')], { pairBy: ['bead'] }).pairs).toEqual([]);
  });
});

describe('planPairs --pair-by type', () => {
  const feature = (sessionId: string, score: number, id: string, tier: OutcomeTier) => attempt(sessionId, score, [{ id, tier, attempt: 1, issueType: 'feature' }]);
  const candidates = [
    feature('a', 0.9, 'gt-1', 'first-try'),
    feature('b', 0.7, 'gt-2', 'rework'),
    feature('c', 0.3, 'gt-2', 'reopened'),
    feature('d', 0.2, 'gt-3', 'abandoned'),
    feature('e', 0.4, 'gt-3', 'reopened'),
    attempt('f', 0.1, [{ id: 'gt-4', tier: 'reopened', attempt: 1, issueType: 'bug' }]),
    attempt('g', 0.1, [{ id: 'gt-5', tier: 'reopened', attempt: 1 }]),
  ];

  it('should build no same-type pair unless asked', () => {
    expect(planPairs(candidates).pairs.filter((pair) => pair.kind === 'same-type')).toEqual([]);
  });

  it('should pair each bead\'s best closure with another bead\'s worst failure of the same type, each bead once per side, in any input order', () => {
    const plan = planPairs(candidates, { pairBy: ['type'] });
    // gt-1's first try takes the lowest failure (gt-3's abandoned d, 0.2); gt-2's rework cannot take its own failure (c), and gt-3's is taken.
    expect(plan.pairs.map((pair) => [pair.kind, pair.chosen.bead, pair.chosen.sessionId, pair.rejected.bead, pair.rejected.sessionId, pair.margin])).toEqual([['same-type', 'gt-1', 'a', 'gt-3', 'd', 0.7]]);
    expect(plan.pairs[0]).toMatchObject({ bead: null, chosen: { tier: 'first-try', issueType: 'feature' }, rejected: { tier: 'abandoned', issueType: 'feature' } });
    expect(plan.notes).toEqual([
      { ref: 'type:bug', reason: '0 closed and 1 failed beads of type bug: no same-type pair' },
      { ref: 'type:feature', reason: 'no failed bead of type feature left to pair with gt-2' },
    ]);
    expect(plan.singles).toEqual([]);
    expect(planPairs([...candidates].reverse(), { pairBy: ['type'] })).toEqual(plan);
  });

  it('should skip a failure under --min-margin for the next one, and say so when none clears it', () => {
    const plan = planPairs([feature('a', 0.5, 'gt-1', 'first-try'), feature('b', 0.45, 'gt-2', 'reopened'), feature('c', 0.3, 'gt-3', 'reopened')], { pairBy: ['type'] });
    expect(plan.pairs.map((pair) => [pair.chosen.sessionId, pair.rejected.sessionId])).toEqual([['a', 'c']]);
    const weak = planPairs([feature('a', 0.5, 'gt-1', 'first-try'), feature('b', 0.45, 'gt-2', 'reopened')], { pairBy: ['type'] });
    expect(weak.pairs).toEqual([]);
    expect(weak.notes).toEqual([{ ref: 'type:feature', reason: 'pair a > b dropped: margin 0.05 is below --min-margin 0.1' }]);
  });
});

const turn = (role: PreparedTurn['role'], text: string): PreparedTurn => ({ role, text, reasoning: { state: 'absent' }, toolCalls: [], toolResult: undefined, train: role === 'assistant' });
const conversation = (sessionId: string, turns: PreparedTurn[]): PreparedConversation => ({ sessionId, source: 'pi', system: 'sys', tools: [], turns });

describe('splitPair', () => {
  it('should take the shared turns of two branches as the prompt', () => {
    const split = splitPair('sibling-branch', conversation('a', [turn('user', 'q'), turn('assistant', 'good')]), conversation('b', [turn('user', 'q'), turn('assistant', 'bad')]));
    expect(split).toMatchObject({ ok: true, pair: { prompt: { turns: [{ text: 'q' }] }, chosen: [{ text: 'good' }], rejected: [{ text: 'bad' }] } });
  });

  it('should take the chosen attempt up to its assignment as the prompt of a same-bead pair', () => {
    const split = splitPair('same-bead', conversation('a', [turn('user', 'assigned:gt-1 at 10:00'), turn('assistant', 'fixed')]), conversation('b', [turn('user', 'assigned:gt-1 at 09:00'), turn('assistant', 'broke it')]));
    expect(split).toMatchObject({ ok: true, pair: { prompt: { turns: [{ text: 'assigned:gt-1 at 10:00' }] }, chosen: [{ text: 'fixed' }], rejected: [{ text: 'broke it' }] } });
  });

  it('should drop a pair whose sides are identical (after redaction) or that shares nothing', () => {
    expect(splitPair('same-bead', conversation('a', [turn('user', 'x'), turn('assistant', 'same')]), conversation('b', [turn('user', 'y'), turn('assistant', 'same')]))).toEqual({ ok: false, reason: 'chosen and rejected are identical after redaction' });
    expect(splitPair('sibling-branch', conversation('a', [turn('user', 'x')]), conversation('b', [turn('user', 'y')]))).toEqual({ ok: false, reason: 'the branches share no turn' });
  });
});
