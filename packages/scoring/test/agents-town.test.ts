// The real Claude Code and pi programs, driven by the loopback stub model, work beads in a temp
// Gas Town town: claims, edits, commits and closes happen through real tool calls against real
// git and the bd STAND-IN (tooling/test-agents: the real bd cannot be installed here). The
// transcripts they write (runBeadsTownScenario) are read by the real readers, linked and scored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClaudeSession } from '@forge/extract-claude';
import { readCommitPatches, readOutcomes } from '@forge/extract-outcomes';
import { readPiSession } from '@forge/extract-pir';
import { runBeadsTownScenario, type BeadsTownRun, type GasTownTown } from '@forge-internal/test-agents';
import { type Session, type SessionScore } from '@forge/schema';
import { indexOutcomes, linkSession, scoreSession } from '../src/index.js';

let town: GasTownTown;
const transcripts: { key: BeadsTownRun['key']; session: Session }[] = [];
const scores = new Map<string, SessionScore>();
const worktrees = new Map<string, string>();

beforeAll(async () => {
  const scenario = await runBeadsTownScenario();
  town = scenario.town;
  for (const run of scenario.runs) {
    const sessions = run.agent === 'claude' ? await readClaudeSession(run.file) : await readPiSession(run.file);
    transcripts.push({ key: run.key, session: sessions[0]! });
  }
  worktrees.set('nux', scenario.runs.find((run) => run.key === 'firstTry')!.cwd);

  // forge reads it all read-only: the files (no bd on this PATH), the town, git.
  const outcomes = await readOutcomes({ cwds: transcripts.map(({ session }) => session.cwd), claudeRoots: [], env: { PATH: '/usr/bin:/bin' } });
  const index = indexOutcomes(outcomes);
  for (const { session } of transcripts) {
    const linkage = linkSession(session, index);
    const patches = await readCommitPatches(linkage.repositoryId!, linkage.commits.map((link) => link.commit.sha));
    scores.set(session.id, scoreSession(session, index, { linkage, patches }));
  }
}, 600_000);

afterAll(() => {
  if (process.env.PRINT_SCORES) for (const score of scores.values()) console.log(JSON.stringify(score, null, 1));
});

function scoreOf(key: (typeof transcripts)[number]['key']): SessionScore {
  const session = transcripts.find((entry) => entry.key === key)!.session;
  return scores.get(session.id)!;
}

describe('sessions of the real agents in a temp Gas Town', () => {
  it('should read the stand-in bd state the agents wrote (issues, events, interactions)', () => {
    const issues = readFileSync(join(town.beadsDir, 'issues.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(issues.map((issue) => [issue.id, issue.status, issue.close_reason])).toEqual([
      ['dm-a1b2', 'closed', 'Merged in dm-wisp-m1'],
      ['dm-c3d4', 'closed', 'Merged in dm-wisp-m2'],
    ]);
    const events = readFileSync(join(town.beadsDir, 'backup', 'events.jsonl'), 'utf8');
    expect(events).toContain('"event_type":"reopened"');
  });

  it('should link each session to its bead with the claim and close calls the agent made', () => {
    for (const [key, bead] of [['firstTry', 'dm-a1b2'], ['reopened', 'dm-c3d4'], ['reworked', 'dm-c3d4']] as const) {
      const score = scoreOf(key);
      expect(score.outcome?.beads.map((entry) => entry.id)).toEqual([bead]);
      const details = score.outcome!.beads[0]!.evidence.map((evidence) => `${evidence.signal}: ${evidence.detail}`);
      expect(details).toEqual(expect.arrayContaining([`tool-call: bd update ${bead} --claim → ✓ Updated issue: ${bead} — ${bead === 'dm-a1b2' ? 'Greeting ends without a period' : 'Add farewell()'}`]));
      expect(details.some((detail) => detail.startsWith(`tool-call: bd close ${bead}`) && detail.includes(`✓ Closed ${bead}`))).toBe(true);
      expect(details.some((detail) => detail.startsWith('beacon:'))).toBe(true);
    }
  });

  it('should follow the lifecycles: first try, reopened attempt 1, rework attempt 2', () => {
    expect(scoreOf('firstTry').outcome?.beads[0]).toMatchObject({ status: 'closed', attempts: 1, firstTry: true, reopened: false, merged: true, attempt: 1, tier: 'first-try' });
    expect(scoreOf('reopened').outcome?.beads[0]).toMatchObject({ status: 'closed', attempts: 2, firstTry: false, reopened: true, attempt: 1, tier: 'reopened' });
    expect(scoreOf('reworked').outcome?.beads[0]).toMatchObject({ status: 'closed', attempts: 2, firstTry: false, reopened: true, merged: true, attempt: 2, tier: 'rework' });
  });

  it('should link the commits the agents made, landed on main under new SHAs, with the Executed-By trailer', () => {
    const first = scoreOf('firstTry').outcome!.commits;
    expect(first.map((commit) => [commit.subject, commit.landed])).toEqual([['fix(greet): end the greeting with a period (dm-a1b2)', true]]);
    expect(first[0]!.evidence.map((evidence) => evidence.signal)).toEqual(expect.arrayContaining(['tool-call', 'commit-subject', 'commit-trailer', 'branch']));
    const reworked = scoreOf('reworked').outcome!.commits.map((commit) => commit.subject);
    expect(reworked).toEqual(['fix(farewell): say Goodbye, end with a period (dm-c3d4)']);
    expect(scoreOf('reopened').outcome!.commits.map((commit) => commit.subject)).toEqual(['feat(farewell): add farewell() (dm-c3d4)']);
  });

  it('should measure code survival from the edits the agents made', () => {
    expect(scoreOf('firstTry').outcome?.codeSurvival).toBe(1);
    // The first rewording was replaced before the commit: 1 of 2 added lines survived.
    expect(scoreOf('reworked').outcome?.codeSurvival).toBe(0.5);
    expect(scoreOf('reopened').outcome?.codeSurvival).toBe(1);
  });

  it('should score first try > reworked > reopened', () => {
    expect(scoreOf('firstTry').score).toBeGreaterThan(scoreOf('reworked').score);
    expect(scoreOf('reworked').score).toBeGreaterThan(scoreOf('reopened').score);
  });

  it('should never write into the worktrees or the beads store while reading', () => {
    expect(readFileSync(join(worktrees.get('nux')!, '.beads', 'redirect'), 'utf8')).toBe('../../../mayor/rig/.beads\n');
  });
});
