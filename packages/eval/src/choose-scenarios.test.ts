import { type SessionScore } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { chooseScenarios } from './choose-scenarios.js';
import { scenarioFiles } from './scenario-files.js';

function score(sessionId: string, value: number, bead?: { id: string; tier: 'first-try' | 'rework' | 'reopened'; commitBeads: string[] }): SessionScore {
  return {
    sessionId,
    source: 'pi',
    file: `/s/${sessionId}.jsonl`,
    score: value,
    outcomeKnown: bead != null,
    outcome:
      bead == null
        ? null
        : {
            beads: [{ id: bead.id, status: 'closed', attempts: 1, firstTry: true, reopened: false, redispatched: false, noChanges: false, merged: true, title: 'Fix it', attempt: 1, tier: bead.tier, evidence: [] }],
            commits: [{ sha: 'a'.repeat(40), subject: 'fix', landed: true, beads: bead.commitBeads, evidence: [] }],
            codeSurvival: 1,
          },
    signals: {},
    reasons: [],
    links: { beads: [], segments: [] },
  };
}

describe('chooseScenarios', () => {
  it('should take the best closing session of each bead with a commit naming it, and top patrol cycles', () => {
    const choices = chooseScenarios([
      { score: score('a', 0.6, { id: 'gt-1', tier: 'rework', commitBeads: ['gt-1'] }), role: 'polecat' },
      { score: score('b', 0.9, { id: 'gt-1', tier: 'first-try', commitBeads: ['gt-1'] }), role: 'polecat' },
      { score: score('c', 0.9, { id: 'gt-2', tier: 'first-try', commitBeads: ['gt-9'] }), role: 'polecat' },
      { score: score('d', 0.9, { id: 'gt-3', tier: 'reopened', commitBeads: ['gt-3'] }), role: 'polecat' },
      { score: score('e', 0.8), role: 'deacon' },
      { score: score('f', 0.5), role: 'witness' },
    ]);
    expect(choices.map((choice) => (choice.kind === 'bead' ? `${choice.bead.id}<-${choice.index}` : `patrol<-${choice.index}`))).toEqual(['gt-1<-1', 'patrol<-4']);
    expect(chooseScenarios([{ score: score('e', 0.8), role: 'deacon' }], { roles: ['polecat'] })).toEqual([]);
    expect(chooseScenarios([{ score: score('b', 0.9, { id: 'gt-1', tier: 'first-try', commitBeads: ['gt-1'] }), role: 'polecat' }], { minScore: 0.95 })).toEqual([]);
  });
});

describe('scenarioFiles', () => {
  it("should lay a scenario out as Harbor's task folder plus its eval prompt", () => {
    const files = scenarioFiles({
      id: 'gt-1',
      kind: 'bead',
      bead: { id: 'gt-1', title: 'Fix "quotes"' },
      role: 'polecat',
      session: { id: 's1', source: 'pi', score: 0.9, tier: 'first-try' },
      prompt: 'assigned:gt-1',
      repository: '/r',
      baseCommit: 'b'.repeat(40),
      headCommit: 'c'.repeat(40),
      referenceDiff: 'diff --git a/x b/x\n',
      checks: ['npm test'],
      outcome: 'closed on the first try, merged',
    });
    expect(Object.keys(files).sort()).toEqual([
      'eval/prompts/gt-1.md',
      'tasks/gt-1/environment/Dockerfile',
      'tasks/gt-1/instruction.md',
      'tasks/gt-1/solution/reference.diff',
      'tasks/gt-1/solution/solve.sh',
      'tasks/gt-1/task.toml',
      'tasks/gt-1/tests/test.sh',
    ]);
    expect(files['tasks/gt-1/task.toml']).toContain(`base_commit = "${'b'.repeat(40)}"`);
    expect(files['tasks/gt-1/task.toml']).toContain('tags = ["bead", "polecat", "pi", "gt-1"]');
    expect(files['tasks/gt-1/instruction.md']).toBe('# gt-1: Fix "quotes"\n\nassigned:gt-1\n');
    expect(files['tasks/gt-1/tests/test.sh']).toContain('( npm test ) || status=1');
  });
});
