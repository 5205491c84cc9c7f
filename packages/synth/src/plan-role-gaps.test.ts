import { emptyUsage, type GasTownRole, type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { parseTargetShares, planRoleGaps } from './plan-role-gaps.js';

/** A session of a role with `answers` assistant turns; `thinks` gives the first answer reasoning. */
let made = 0;
function session(role: GasTownRole | 'none', answers: number, extra: { thinks?: boolean; source?: Session['source']; model?: string } = {}): Session {
  const answer = (index: number): Session['messages'][number] => ({
    role: 'assistant',
    text: `answer ${index}`,
    reasoning: extra.thinks === true && index === 0 ? { state: 'present', text: 'hmm' } : { state: 'absent' },
    toolCalls: [],
    provenance: 'conversation',
  });
  return {
    schemaVersion: 1,
    id: `session-${(made += 1)}`,
    source: extra.source ?? 'pi',
    files: ['/s.jsonl'],
    cwd: '/',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:00.000Z',
    models: [extra.model ?? 'claude-sonnet-4-5'],
    thinkingLevels: ['medium'],
    branch: { leafId: null, isActive: true },
    isSubagent: false,
    ...(role === 'none' ? {} : { gastown: { role, beadIds: [] } }),
    usage: emptyUsage(),
    messages: Array.from({ length: answers }, (_, index) => answer(index)),
    warnings: [],
  };
}

describe('planRoleGaps', () => {
  const corpus = [
    ...Array.from({ length: 6 }, () => session('polecat', 3, { thinks: true })),
    session('witness', 2),
    session('witness', 2, { source: 'omp', model: 'gpt-4.1' }),
    session('none', 1, { source: 'claude-code' }),
  ];

  it('should bring every present role to an even share by default, without dropping sessions', () => {
    const plan = planRoleGaps(corpus);
    expect(plan.targetSource).toBe('default');
    expect(plan.roles.map(({ role, sessions, assistantTurns, targetShare, toGenerate }) => ({ role, sessions, assistantTurns, targetShare, toGenerate }))).toEqual([
      { role: 'witness', sessions: 2, assistantTurns: 4, targetShare: 0.5, toGenerate: 4 },
      { role: 'polecat', sessions: 6, assistantTurns: 18, targetShare: 0.5, toGenerate: 0 },
    ]);
    expect(plan.toGenerate).toBe(4);
    expect(plan.byRole.map((row) => [row.key, row.sessions])).toEqual([['polecat', 6], ['witness', 2], ['none', 1]]);
    expect(plan.byThinking.map((row) => [row.key, row.sessions])).toEqual([['on', 6], ['off', 3]]);
    expect(plan.byHarness.map((row) => [row.key, row.sessions])).toEqual([['pi', 7], ['claude-code', 1], ['omp', 1]]);
    expect(plan.byModel.map((row) => [row.key, row.assistantTurns])).toEqual([['claude-sonnet-4-5', 21], ['gpt-4.1', 2]]);
  });

  it('should scale to a given target, normalising weights and adding absent roles', () => {
    const plan = planRoleGaps(corpus, { target: parseTargetShares('polecat=2,witness=1,refinery=1') });
    expect(plan.notes).toContain('target shares sum to 4; normalised to 1');
    // polecat (6 at 1/2) sets the total at 12: witness 3 (has 2), refinery 3 (has 0).
    expect(plan.roles.map((row) => [row.role, row.toGenerate])).toEqual([['witness', 1], ['refinery', 3], ['polecat', 0]]);
  });

  it('should say so when there is nothing to scale from', () => {
    expect(planRoleGaps([session('none', 1)]).notes[0]).toMatch(/no session has a Gas Town role/);
    const plan = planRoleGaps([], { target: { mayor: 1 } });
    expect(plan.toGenerate).toBe(0);
    expect(plan.notes.join('\n')).toMatch(/nothing to scale from/);
  });
});

describe('parseTargetShares', () => {
  it('should read role=share pairs', () => {
    expect(parseTargetShares('witness=0.2, polecat=0.8')).toEqual({ witness: 0.2, polecat: 0.8 });
  });

  it.each([
    ['janitor=1', /unknown role in --target "janitor"/],
    ['witness', /bad target "witness"/],
    ['witness=-1', /bad target/],
    ['witness=1,witness=2', /appears twice/],
  ])('should reject %s', (text, message) => {
    expect(() => parseTargetShares(text)).toThrow(message);
  });
});
