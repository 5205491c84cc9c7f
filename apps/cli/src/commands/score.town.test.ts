// forge score, forge review, verdicts and the scored forge run, through the BUILT forge binary, on
// the transcripts the real Claude Code and pi programs wrote while working beads in a temp Gas
// Town town (runBeadsTownScenario: real git, the bd STAND-IN since the real bd cannot be
// installed here, the loopback stub model).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { installAgent, makeTempHome, runBeadsTownScenario, runPi, snapshotTree, withStubModel, type BeadsTownScenario } from '@forge-internal/test-agents';
import { parseDatasetManifest, type Session, type SessionScore } from '@forge/schema';

const run = promisify(execFile);
const packageRoot = join(import.meta.dirname, '..', '..');
const repoRoot = join(packageRoot, '..', '..');
const bin = join(packageRoot, 'bin', 'forge.js');

let scenario: BeadsTownScenario;
let work: string;
let roots: string[];
const idOf = new Map<string, string>();
const scoreOf = new Map<string, number>();

/** The built `forge`, with no bd on PATH (the files are read) and its own cache and home. */
async function forge(args: string[], cache = 'cache', home = work): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: work,
      env: { PATH: '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: join(work, cache) },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { exitCode: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const jsonLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);

beforeAll(async () => {
  await run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@forge/cli...', '--output-logs=errors-only'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  scenario = await runBeadsTownScenario();
  work = mkdtempSync(join(tmpdir(), 'forge-score-'));
  roots = scenario.runs.flatMap((entry) => ['--root', entry.home]);
  const scored = await forge(['score', '--json', '--quiet', ...roots]);
  for (const score of jsonLines<SessionScore>(scored.stdout)) {
    const key = scenario.runs.find((entry) => entry.file === score.file)!.key;
    idOf.set(key, score.sessionId);
    scoreOf.set(key, score.score);
  }
}, 600_000);

describe('forge score on sessions that worked beads in a temp town', () => {
  it('should print one JSON object per session with the outcome, signals and reasons, scored first try > reworked > reopened', async () => {
    const before = await snapshotTree(scenario.town.root);
    const result = await forge(['score', '--json', ...roots]);
    expect(result.exitCode, result.stderr).toBe(0);
    // No bd on PATH: said once, the files are read.
    expect(result.stderr).toContain('[tool-unavailable] bd is not on PATH');
    const scores = new Map(jsonLines<SessionScore>(result.stdout).map((score) => [score.sessionId, score]));
    expect(scores.size).toBe(3);
    const [firstTry, reopened, reworked] = (['firstTry', 'reopened', 'reworked'] as const).map((key) => scores.get(idOf.get(key)!)!);
    for (const score of [firstTry!, reopened!, reworked!]) {
      expect(Object.keys(score)).toEqual(expect.arrayContaining(['sessionId', 'source', 'file', 'score', 'outcome', 'signals', 'reasons']));
      expect(score.score).toBeGreaterThanOrEqual(0);
      expect(score.score).toBeLessThanOrEqual(1);
    }
    expect(firstTry!.source).toBe('claude-code');
    expect(reopened!.source).toBe('pi');
    expect(firstTry!.outcome?.beads.map(({ id, status, attempts, firstTry: first, reopened: again }) => ({ id, status, attempts, firstTry: first, reopened: again }))).toEqual([
      { id: 'dm-a1b2', status: 'closed', attempts: 1, firstTry: true, reopened: false },
    ]);
    expect(reworked!.outcome?.beads[0]).toMatchObject({ id: 'dm-c3d4', attempts: 2, firstTry: false, reopened: true, tier: 'rework' });
    expect(reopened!.outcome?.beads[0]).toMatchObject({ id: 'dm-c3d4', tier: 'reopened' });
    expect(firstTry!.outcome?.commits.map(({ subject }) => subject)).toEqual(['fix(greet): end the greeting with a period (dm-a1b2)']);
    expect(firstTry!.outcome?.commits[0]?.sha).toMatch(/^[0-9a-f]{40}$/u);
    expect(firstTry!.outcome?.codeSurvival).toBe(1);
    expect(firstTry!.score).toBeGreaterThan(reworked!.score);
    expect(reworked!.score).toBeGreaterThan(reopened!.score);
    expect(firstTry!.reasons).toContain('dm-a1b2: closed on the first attempt, merged');
    // Read-only: the town (git, beads, worktrees) is byte for byte as it was.
    expect(await snapshotTree(scenario.town.root)).toEqual(before);
  });

  it('should print a table, and --explain the evidence with file:line', async () => {
    const table = await forge(['score', '--quiet', ...roots]);
    expect(table.stdout).toMatch(new RegExp(`${idOf.get('firstTry')}\\s+dm-a1b2 first-try, 1 commit\\s+100%`, 'u'));
    expect(table.stdout).toContain('3 sessions');
    const firstTryFile = scenario.runs.find((entry) => entry.key === 'firstTry')!.file;
    const explained = await forge(['score', '--explain', '--quiet', firstTryFile]);
    expect(explained.exitCode, explained.stderr).toBe(0);
    expect(explained.stdout).toContain('bead     dm-a1b2 (worked) closed, attempt 1 of 1, first-try, merged');
    expect(explained.stdout).toMatch(new RegExp(`tool-call: bd update dm-a1b2 --claim → ✓ Updated issue: dm-a1b2 — Greeting ends without a period {2}\\[${firstTryFile.replaceAll('.', '\\.')}:\\d+\\]`, 'u'));
    expect(explained.stdout).toMatch(/commit {3}[0-9a-f]{12} fix\(greet\): end the greeting with a period \(dm-a1b2\) \(landed\) \+1 -1/u);
    expect(explained.stdout).toMatch(/validation +1\.00 ×1 /u);
  });

  it('should turn bad outcome input into warnings and exit 3, never a crash', async () => {
    const store = join(work, 'bad-store', '.beads');
    mkdirSync(store, { recursive: true });
    writeFileSync(join(store, 'issues.jsonl'), '{"_type":"issue","id":"dm-zz99","title":"x","status":"wibble"}\n{"_type":"issue","id":\n');
    const result = await forge(['score', '--json', '--beads', store, '--git', join(work, 'no-such-repo'), ...roots, idOf.get('firstTry')!, 'no-such-session']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`${join(store, 'issues.jsonl')}:1 [unknown-status]`);
    expect(result.stderr).toMatch(/issues\.jsonl:2 \[(truncated-line|invalid-json)\]/u);
    expect(result.stderr).toContain('no session no-such-session in the sources read');
    // The sessions are still scored from their own stores.
    const scores = jsonLines<SessionScore>(result.stdout);
    expect(scores.map((score) => score.sessionId)).toEqual([idOf.get('firstTry')]);
    expect(scores[0]?.outcome?.beads[0]?.tier).toBe('first-try');
  });

  it('should read Claude Code facets from the home --root names, not from this machine', async () => {
    const claudeRun = scenario.runs.find((entry) => entry.key === 'firstTry')!;
    const sessionId = idOf.get('firstTry')!;
    const facets = join(claudeRun.home, '.claude', 'usage-data', 'facets');
    mkdirSync(facets, { recursive: true });
    writeFileSync(join(facets, `${sessionId}.json`), JSON.stringify({ session_id: sessionId, outcome: 'fully_achieved', friction_counts: { wrong_approach: 1 } }));
    try {
      // forge's own HOME (`work`) holds no facets: the signal can only come from the root's `.claude`.
      const result = await forge(['score', '--json', '--quiet', '--root', claudeRun.home, sessionId]);
      const [score] = jsonLines<SessionScore>(result.stdout);
      expect(score?.signals.facets?.value).toBe('fully_achieved');
      expect(score?.signals.facets?.reason).toBe('Claude Code facets: fully_achieved, 1 friction event');
    } finally {
      rmSync(facets, { recursive: true, force: true });
    }
  });
});

describe('verdicts and the scored forge run', () => {
  it('should drop sessions below --min-score, listed in the manifest with their score', async () => {
    const out = join(work, 'min-score');
    // Between the reopened attempt's score and the reworked one's.
    const minScore = Math.round(((scoreOf.get('reopened')! + scoreOf.get('reworked')!) / 2) * 1000) / 1000;
    const result = await forge(['run', '--out', out, '--quiet', '--min-score', String(minScore), ...roots], 'cache-min');
    expect(result.exitCode, result.stderr).toBe(0);
    const manifest = parseDatasetManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    const dropped = manifest.skipped.find((item) => item.ref === `pi:${idOf.get('reopened')}`);
    expect(dropped?.reason).toBe(`score ${scoreOf.get('reopened')} is below the minimum score ${minScore}`);
    expect(manifest.counts.sessions).toBe(2);
    expect(manifest.scoring).toMatchObject({ sessions: 3, minScore, outcomeKnown: 3, beadOutcomes: { 'first-try': 1, rework: 1, reopened: 1 } });
    expect(manifest.scoring!.linkageEvidence['tool-call']).toBeGreaterThan(0);
    expect(manifest.scoring!.linkageEvidence['commit-trailer']).toBeGreaterThan(0);
    expect(manifest.scoring!.scoreDistribution.buckets.reduce((total, bucket) => total + bucket.count, 0)).toBe(3);
  });

  it('should write rows.jsonl beside every format: one line per row, in row order', async () => {
    const out = join(work, 'all');
    const result = await forge(['run', '--out', out, '--quiet', '--validation-ratio', '0.5', ...roots], 'cache-rows');
    expect(result.exitCode, result.stderr).toBe(0);
    const manifest = parseDatasetManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    for (const { format } of manifest.formats) {
      const rows = ['train.jsonl', 'val.jsonl'].flatMap((file) => readFileSync(join(out, format, file), 'utf8').split('\n').filter((line) => line !== ''));
      const labels = jsonLines<{ sessionId: string; source: string; role: string; beads: string[]; score: number; split: string }>(readFileSync(join(out, format, 'rows.jsonl'), 'utf8'));
      expect(labels).toHaveLength(rows.length);
      expect(labels.length).toBe(manifest.counts.rowsByFormat[format]!.train + manifest.counts.rowsByFormat[format]!.validation);
      labels.forEach((label, index) => {
        expect(Object.keys(label)).toEqual(['sessionId', 'source', 'role', 'beads', 'score', 'split']);
        expect(label.role).toBe('polecat');
        // Each row's own beacon names the bead its labels carry.
        expect(rows[index]).toContain(`assigned:${label.beads[0]}`);
        expect(label.split).toBe(index < manifest.counts.rowsByFormat[format]!.train ? 'train' : 'validation');
      });
      expect(new Set(labels.map((label) => label.sessionId))).toEqual(new Set(idOf.values()));
    }
    // Nothing extra inside the OpenAI rows: its fine-tuning API rejects unknown keys.
    for (const line of readFileSync(join(out, 'openai', 'train.jsonl'), 'utf8').split('\n').filter((text) => text !== '')) {
      expect(Object.keys(JSON.parse(line)).sort()).toEqual(expect.arrayContaining(['messages']));
      expect(line).not.toContain('"score"');
    }
  });

  it('should keep a recorded verdict across runs, override the score, and export and import verdicts', async () => {
    const reopened = idOf.get('reopened')!;
    const recorded = await forge(['score', '--record', reopened, '--verdict', 'good', '--by', 'demo/witness', '--note', 'the wording was asked for']);
    expect(recorded.exitCode, recorded.stderr).toBe(0);
    expect(recorded.stderr).toContain(`recorded good for ${reopened} by demo/witness`);
    const out = join(work, 'verdicts');
    for (const args of [[], [], ['--full']]) {
      const result = await forge(['run', '--out', out, '--quiet', '--validation-ratio', '0', ...roots, ...args]);
      expect(result.exitCode, result.stderr).toBe(0);
      const labels = jsonLines<{ sessionId: string; score: number }>(readFileSync(join(out, 'sharegpt', 'rows.jsonl'), 'utf8'));
      expect(labels.find((label) => label.sessionId === reopened)?.score).toBe(1);
      expect(parseDatasetManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).scoring?.verdicts).toEqual({ good: 1 });
    }
    const scored = jsonLines<SessionScore>((await forge(['score', '--json', '--quiet', ...roots])).stdout).find((score) => score.sessionId === reopened)!;
    expect(scored.score).toBe(1);
    expect(scored.verdict).toMatchObject({ verdict: 'good', by: 'demo/witness', note: 'the wording was asked for' });
    // A verdict the run already has changes nothing; a new one rebuilds the dataset.
    const exported = await forge(['score', '--export-verdicts', 'verdicts.jsonl']);
    expect(exported.exitCode).toBe(0);
    const lines = jsonLines<{ sessionId: string; verdict: string }>(readFileSync(join(work, 'verdicts.jsonl'), 'utf8'));
    expect(lines).toMatchObject([{ sessionId: reopened, verdict: 'good', by: 'demo/witness' }]);
    writeFileSync(join(work, 'import.jsonl'), `${readFileSync(join(work, 'verdicts.jsonl'), 'utf8')}not json\n{"sessionId":"x","verdict":"great"}\n`);
    const imported = await forge(['score', '--import-verdicts', 'import.jsonl'], 'cache-import');
    expect(imported.exitCode).toBe(3);
    expect(imported.stderr).toContain('import.jsonl:2 [invalid-json]');
    expect(imported.stderr).toContain('import.jsonl:3 [invalid-record]');
    expect(imported.stderr).toContain('imported 1 verdict; 2 lines skipped');
    const again = await forge(['score', '--export-verdicts', '-'], 'cache-import');
    expect(again.stdout).toBe(readFileSync(join(work, 'verdicts.jsonl'), 'utf8'));
  });

  it('should list for review only sessions without an outcome or a verdict near the threshold', async () => {
    const result = await forge(['review', '--json', '--quiet', ...roots]);
    expect(result.exitCode, result.stderr).toBe(0);
    // Every session here has a known outcome: nothing for a patrol to judge.
    expect(result.stdout).toBe('');
    const table = await forge(['review', '--quiet', ...roots]);
    expect(table.stdout).toContain('0 sessions');
  });
});

describe("pi with forge's extensions installed by forge", () => {
  it("should read the extensions' entries into the Session and link the bead on the outcome tag as first-hand evidence", { timeout: 300_000 }, async () => {
    const { town } = scenario;
    const home = await makeTempHome();
    const installed = await forge(['extensions', 'install', '--harness', 'pi'], 'cache', home);
    expect(installed.exitCode, installed.stderr).toBe(0);
    town.bd('mayor', ['create', '--id', 'dm-e5f6', '--title', 'Add wave()', '--type', 'feature']);
    const slit = town.addPolecat('slit', 'dm-e5f6');
    town.bd('mayor', ['update', 'dm-e5f6', '--status=hooked', `--assignee=${slit.identity}`]);
    const usage = { input: 20, output: 40, cacheRead: 0, cacheWrite: 0 };
    let file = '';
    await withStubModel(
      {
        script: [
          { toolCalls: [{ name: 'bash', input: { command: 'bd update dm-e5f6 --claim' } }], usage },
          { toolCalls: [{ name: 'read', input: { path: 'missing.js' } }], usage },
          { toolCalls: [{ name: 'write', input: { path: 'wave.js', content: "module.exports = function wave(name) {\n  return 'Hi ' + name;\n};\n" } }], usage },
          { toolCalls: [{ name: 'bash', input: { command: 'git add wave.js && git commit -m "feat(wave): add wave() (dm-e5f6)" && bd close dm-e5f6' } }], usage },
          { text: 'Added wave(); dm-e5f6 closed.', usage },
        ],
      },
      async (stub) => {
        // No beacon: the prompt names the bead in plain words only.
        const result = await runPi({ stub, cwd: slit.cwd, home, env: town.agentEnv(slit.identity, home), args: ['Please add wave() as the bead dm-e5f6 asks.'], agent: await installAgent('pi') });
        expect(result.exitCode, result.stderr).toBe(0);
        expect(stub.unservedTurns()).toEqual([]);
        file = result.sessionFiles[0]!;
      },
    );
    // The reader: forge extract carries Session.forgeEntries with each entry's line.
    const extracted = await forge(['extract', '--quiet', '--root', home]);
    const [session] = jsonLines<Session>(extracted.stdout);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(session?.forgeEntries?.turns).toHaveLength(5);
    expect(session?.forgeEntries?.turns[1]?.tools).toMatchObject([{ toolName: 'read', argumentKeys: ['path'], isError: true }]);
    expect(session?.forgeEntries?.runs).toMatchObject([{ turns: 5, toolCalls: 4, toolErrors: 1 }]);
    const [tag] = session!.forgeEntries!.beads;
    expect(tag).toMatchObject({ closed: ['dm-e5f6'], updated: [] });
    expect(JSON.parse(lines[tag!.line - 1]!)).toMatchObject({ type: 'custom', customType: 'forge.outcome.beads', data: { closed: ['dm-e5f6'] } });

    // Scoring: the outcome tag is link evidence at the entry's line; the bead is worked and closed first try.
    const scored = await forge(['score', '--json', '--quiet', '--root', home]);
    const [score] = jsonLines<SessionScore>(scored.stdout);
    const bead = score?.links.beads.find((link) => link.id === 'dm-e5f6');
    expect(bead?.role).toBe('worked');
    expect(bead?.evidence.filter((evidence) => evidence.signal === 'outcome-tag')).toEqual([
      { signal: 'outcome-tag', detail: 'forge.outcome.beads: bd update dm-e5f6 → in_progress', file, line: tag!.line },
      { signal: 'outcome-tag', detail: 'forge.outcome.beads: bd close dm-e5f6 → closed', file, line: tag!.line },
    ]);
    expect(score?.outcome?.beads[0]).toMatchObject({ id: 'dm-e5f6', status: 'closed', firstTry: true, tier: 'first-try' });
    expect(score?.signals.toolErrors?.reason).toContain('1 of 4 tool calls failed');
    const explained = await forge(['score', '--explain', '--quiet', file]);
    expect(explained.stdout).toContain(`outcome-tag: forge.outcome.beads: bd close dm-e5f6 → closed  [${file}:${tag!.line}]`);
  });
});
