// The shared Gas Town snapshot (../shared/fixtures/gastown) with sessions S1–S4 as hand-written
// Claude Code transcripts (fixtures/gastown/claude, following sessions.md) and the rig repository
// of git-log.txt rebuilt with the real git (fixtures/gastown/repo.json), read by the real readers.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClaudeSession } from '@forge/extract-claude';
import { locateSessionLines, readCommitPatches, readOutcomes } from '@forge/extract-outcomes';
import { createGitRepository, sharedFixturesRoot, type FixtureCommit } from '@forge-internal/test-agents';
import { parseSessionScore, type Outcomes, type Session, type SessionScore } from '@forge/schema';
import { collectBeadSessions, indexOutcomes, linkSession, scoreSession, summarizeScores, type OutcomeIndex } from '../src/index.js';

const gastown = join(sharedFixturesRoot, 'gastown');
const fixtures = join(import.meta.dirname, 'fixtures', 'gastown');
const ids = {
  s1: '15b2db23-256a-4bd0-920e-e73fd02de97d',
  s2: 'ffeafb7a-7560-4a8e-995d-dfeb329033cf',
  s3: '5081b583-24c7-4252-907b-488367b6d3ce',
  s4: 'bd40a81b-42b4-4220-ae99-846602567622',
};

let workDir: string;
let outcomes: Outcomes;
let index: OutcomeIndex;
const sessions = new Map<string, Session>();
const scores = new Map<string, SessionScore>();

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'forge-scoring-fixture-'));
  const repo = JSON.parse(readFileSync(join(fixtures, 'repo.json'), 'utf8')) as { commits: FixtureCommit[] };
  createGitRepository(join(workDir, 'gastown'), repo.commits);
  const projects = join(fixtures, 'claude', 'projects');
  for (const folder of readdirSync(projects)) {
    for (const name of readdirSync(join(projects, folder))) {
      for (const session of await readClaudeSession(join(projects, folder, name))) sessions.set(session.id, session);
    }
  }
  outcomes = await readOutcomes({
    cwds: [...sessions.values()].map((session) => session.cwd),
    beadsDirs: [join(gastown, '.beads')],
    townRoots: [join(gastown, 'gt')],
    gitDirs: [join(workDir, 'gastown')],
    claudeRoots: [],
    env: { PATH: '/usr/bin:/bin' },
  });
  index = indexOutcomes(outcomes);
  for (const session of sessions.values()) {
    const linkage = linkSession(session, index);
    const patches = linkage.repositoryId == null ? [] : await readCommitPatches(linkage.repositoryId, linkage.commits.map((link) => link.commit.sha));
    scores.set(session.id, scoreSession(session, index, { linkage, patches }));
  }
});

afterAll(() => {
  if (process.env.PRINT_SCORES) for (const s of scores.values()) console.log(JSON.stringify({ id: s.sessionId, score: s.score, reasons: s.reasons, signals: Object.fromEntries(Object.entries(s.signals).map(([k, v]) => [k, [v.value, v.score, v.weight]])) }));
  rmSync(workDir, { recursive: true, force: true });
});

function score(id: string): SessionScore {
  const found = scores.get(id);
  if (found == null) throw new Error(`no score for ${id}`);
  return found;
}

function roles(id: string): Record<string, string> {
  return Object.fromEntries(score(id).links.beads.map((bead) => [bead.id, bead.role]));
}

describe('the Gas Town fixture, per bead (sessions.md "Expected linker output")', () => {
  it('should give every bead its status, attempts and reopen as the table says', () => {
    const table = ['gt-5hb1t', 'gt-5hb1t.1', 'gt-k3m9p', 'gt-7fq2x', 'gt-c1x7n', 'gt-9yv3e', 'gt-2wn6c', 'gt-q4z8a'].map((id) => {
      const lifecycle = index.lifecycle(id);
      return { id, status: lifecycle.status, attempts: lifecycle.attempts.length, firstTry: lifecycle.firstTry, reopened: lifecycle.reopened, noChanges: lifecycle.noChanges, merged: lifecycle.merged };
    });
    expect(table).toEqual([
      { id: 'gt-5hb1t', status: 'open', attempts: 0, firstTry: false, reopened: false, noChanges: false, merged: false },
      { id: 'gt-5hb1t.1', status: 'closed', attempts: 2, firstTry: false, reopened: true, noChanges: false, merged: true },
      { id: 'gt-k3m9p', status: 'closed', attempts: 1, firstTry: true, reopened: false, noChanges: false, merged: true },
      { id: 'gt-7fq2x', status: 'closed', attempts: 1, firstTry: true, reopened: false, noChanges: false, merged: true },
      { id: 'gt-c1x7n', status: 'closed', attempts: 1, firstTry: true, reopened: false, noChanges: true, merged: false },
      { id: 'gt-9yv3e', status: 'closed', attempts: 1, firstTry: true, reopened: false, noChanges: false, merged: false },
      { id: 'gt-2wn6c', status: 'in_progress', attempts: 1, firstTry: false, reopened: false, noChanges: false, merged: false },
      { id: 'gt-q4z8a', status: 'open', attempts: 0, firstTry: false, reopened: false, noChanges: false, merged: false },
    ]);
  });

  it('should credit the sessions that worked each bead, in attempt order, and nobody with the epic', () => {
    const keyOf = new Map(Object.entries(ids).map(([key, id]) => [id, key]));
    const bySession = [...collectBeadSessions([...scores.values()])].map(([bead, list]) => [bead, list.map((entry) => `${keyOf.get(entry.sessionId)}#${entry.attempt} ${entry.tier}`)]);
    expect(Object.fromEntries(bySession)).toEqual({ 'gt-2wn6c': ['s4#1 in-progress'], 'gt-5hb1t.1': ['s2#1 reopened', 's3#2 rework'], 'gt-9yv3e': ['s4#1 first-try'], 'gt-k3m9p': ['s1#1 first-try'] });
  });
});

describe('S1: polecat nux, gt-k3m9p, clean first try', () => {
  it('should link gt-k3m9p with the beacon, the gt prime hook output, the branch, the claim, gt done and the town events', () => {
    const bead = score(ids.s1).outcome?.beads[0];
    expect(bead).toMatchObject({ id: 'gt-k3m9p', status: 'closed', attempts: 1, firstTry: true, reopened: false, merged: true, attempt: 1, tier: 'first-try' });
    const signals = new Set(bead?.evidence.map((evidence) => evidence.signal));
    expect([...signals].sort()).toEqual(['beacon', 'bead-event', 'branch', 'prime-hook', 'tool-call', 'town-event']);
    const claim = bead?.evidence.find((evidence) => evidence.detail.startsWith('bd update gt-k3m9p --status=in_progress'));
    expect(claim?.detail).toContain('✓ Updated issue: gt-k3m9p');
  });

  it('should find the landed commit from the pre-rebase sha the session printed, with subject and trailer evidence', () => {
    const commits = score(ids.s1).outcome?.commits ?? [];
    expect(commits.map((commit) => commit.subject)).toEqual(['fix(witness): skip duplicate idle nudges within one patrol cycle (gt-k3m9p)']);
    expect(commits[0]).toMatchObject({ landed: true, beads: ['gt-k3m9p'] });
    const signals = commits[0]!.evidence.map((evidence) => evidence.signal);
    expect(signals).toEqual(expect.arrayContaining(['tool-call', 'commit-subject', 'commit-trailer', 'time-window']));
    expect(commits[0]!.evidence.find((evidence) => evidence.signal === 'tool-call')?.detail).toMatch(/\[polecat\/nux\/gt-k3m9p@mnztkx6w d6fe2cc\].*rebased/u);
  });

  it('should measure that all the code nux wrote survived into the commit', () => {
    expect(score(ids.s1).outcome?.codeSurvival).toBe(1);
  });

  it('should place transcript evidence at file:line', async () => {
    const evidence = score(ids.s1).outcome!.beads[0]!.evidence.filter((item) => item.sourceId != null);
    const lines = await locateSessionLines(evidence[0]!.file!, evidence.map((item) => item.sourceId!));
    expect(lines.size).toBe(new Set(evidence.map((item) => item.sourceId)).size);
    const beaconLine = lines.get(evidence.find((item) => item.signal === 'beacon')!.sourceId!);
    expect(beaconLine).toBe(2);
  });
});

describe('S2 and S3: furiosa, gt-5hb1t.1, rejected by the merge gate, then reopened and fixed', () => {
  it('should label S2 as the attempt that was reopened, and the epic as a mention only', () => {
    expect(score(ids.s2).outcome?.beads.map((bead) => [bead.id, bead.attempt, bead.tier])).toEqual([['gt-5hb1t.1', 1, 'reopened']]);
    expect(roles(ids.s2)).toMatchObject({ 'gt-5hb1t.1': 'worked', 'gt-5hb1t': 'mentioned' });
    expect(score(ids.s2).outcome?.commits.map((commit) => commit.subject)).toEqual(['fix(done): close hooked bead when branch has no commits ahead (gt-5hb1t.1)']);
  });

  it('should label S3 as the rework that closed it, the new bug as created, and mail and wisps as no work', () => {
    expect(score(ids.s3).outcome?.beads.map((bead) => [bead.id, bead.attempt, bead.tier])).toEqual([['gt-5hb1t.1', 2, 'rework']]);
    const s3 = roles(ids.s3);
    expect(s3).toMatchObject({ 'gt-5hb1t.1': 'worked', 'gt-q4z8a': 'created' });
    expect(Object.keys(s3).filter((id) => s3[id] === 'worked')).toEqual(['gt-5hb1t.1']);
    expect(score(ids.s3).outcome?.commits.map((commit) => commit.subject)).toEqual(['fix(done): guard nil issue in lookupHookedIssue; add no-commit test (gt-5hb1t.1)']);
  });

  it('should see that the first draft of the test did not survive, the rest did', () => {
    const survival = score(ids.s3).outcome?.codeSurvival ?? 0;
    expect(survival).toBeGreaterThan(0.8);
    expect(survival).toBeLessThan(1);
    expect(score(ids.s3).signals.toolErrors?.reason).toMatch(/2 of \d+ tool calls failed.*2 recovered/u);
  });
});

describe('S4: crew max, two beads in one session', () => {
  it('should close gt-9yv3e first try and leave gt-2wn6c in progress, with the listed beads as mentions', () => {
    const s4 = score(ids.s4);
    expect(s4.outcome?.beads.map((bead) => [bead.id, bead.tier])).toEqual([
      ['gt-2wn6c', 'in-progress'],
      ['gt-9yv3e', 'first-try'],
    ]);
    expect(roles(ids.s4)).toMatchObject({ 'gt-5hb1t': 'mentioned', 'gt-q4z8a': 'mentioned' });
    expect(s4.outcome?.commits.map((commit) => [commit.subject, commit.landed])).toEqual([['docs(reference): document merge_strategy=pr for the refinery (gt-9yv3e)', true]]);
    expect(s4.outcome?.codeSurvival).toBe(1);
  });

  it('should split the session at the second claim', () => {
    const session = sessions.get(ids.s4)!;
    const claim = session.messages.findIndex((message) => message.toolCalls.some((call) => call.arguments.includes('bd update gt-2wn6c --claim')));
    expect(score(ids.s4).links.segments).toEqual([
      { beadId: 'gt-9yv3e', from: 0, to: claim - 1 },
      { beadId: 'gt-2wn6c', from: claim, to: session.messages.length - 1 },
    ]);
  });
});

describe('scores', () => {
  it('should order first try above rework above the reopened attempt', () => {
    expect(score(ids.s1).score).toBeGreaterThan(score(ids.s3).score);
    expect(score(ids.s3).score).toBeGreaterThan(score(ids.s2).score);
    for (const id of Object.values(ids)) expect(score(id).outcomeKnown).toBe(true);
  });

  it('should write every score in the published SessionScore shape', () => {
    for (const value of scores.values()) expect(parseSessionScore(JSON.parse(JSON.stringify(value)))).toEqual(value);
  });

  it('should be deterministic', async () => {
    const again = indexOutcomes(outcomes);
    for (const session of sessions.values()) {
      const linkage = linkSession(session, again);
      const patches = await readCommitPatches(linkage.repositoryId!, linkage.commits.map((link) => link.commit.sha));
      expect(JSON.stringify(scoreSession(session, again, { linkage, patches }))).toBe(JSON.stringify(scores.get(session.id)));
    }
  });

  it('should summarise the run for the manifest', () => {
    const summary = summarizeScores([...scores.values()]);
    expect(summary).toMatchObject({ sessions: 4, outcomeKnown: 4, outcomeUnknown: 0, beadOutcomes: { 'first-try': 2, 'in-progress': 1, reopened: 1, rework: 1 } });
    expect(summary.scoreDistribution.buckets.reduce((total, bucket) => total + bucket.count, 0)).toBe(4);
    expect(summary.linkageEvidence.beacon).toBe(2);
  });
});

describe('bad input', () => {
  it('should give warnings and outcome null, never a crash: corrupt store, unknown status, missing repo, no bd', async () => {
    const beads = join(workDir, 'broken', '.beads');
    mkdirSync(beads, { recursive: true });
    writeFileSync(join(beads, 'issues.jsonl'), '{"_type":"issue","id":"gt-zz9x","status":"limbo"}\n{not json\n');
    const session = sessions.get(ids.s1)!;
    const broken = await readOutcomes({ cwds: [session.cwd], beadsDirs: [beads], gitDirs: [join(workDir, 'no-such-repo')], claudeRoots: [], env: { PATH: '/usr/bin:/bin' } });
    expect(broken.warnings.map((warning) => warning.kind).sort()).toEqual(['invalid-json', 'not-a-repository', 'tool-unavailable', 'unknown-status']);
    const result = scoreSession(session, indexOutcomes(broken));
    expect(result.outcome).toBeNull();
    expect(result.outcomeKnown).toBe(false);
    expect(result.score).toBeGreaterThan(0);
  });
});
