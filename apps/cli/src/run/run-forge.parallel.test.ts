import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { type ReadUnit } from '@forge/state';
import { sourceReaders } from '../sources/source-registry.js';
import { runForge, type RunForgeOptions, type RunProgress } from './run-forge.js';
import { UnitThreads } from './unit-threads.js';

const demoHome = join(import.meta.dirname, '..', '..', 'demo', 'home');
const claudeProject = join('.claude', 'projects', '-home-ubuntu-gt-myrig-polecats-nux');

/** Every file of a folder, by relative path. */
function folderFiles(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[relative(folder, join(entry.parentPath, entry.name))] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

describe('forge run on worker threads', () => {
  let work: string;
  let home: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'forge-parallel-'));
    home = join(work, 'home');
    // The demo home and the files the real agent programs wrote (Claude Code 2.1 and 2.0.76 with its
    // subagent and resume files, pi, omp) in one home: one Claude Code project of many files.
    cpSync(demoHome, home, { recursive: true });
    for (const program of ['claude', 'claude-2.0.76', 'pi', 'omp']) cpSync(join(sharedFixturesRoot, 'real', program), home, { recursive: true });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** One run into `out` with its own cache (so nothing is up to date), its progress events kept. */
  async function run(name: string, options: RunForgeOptions): Promise<{ files: Record<string, string>; events: RunProgress[] }> {
    const events: RunProgress[] = [];
    await runForge({ roots: [home], out: join(work, 'out'), cacheDir: join(work, `cache-${name}`), env: { HOME: home }, cwd: work, onProgress: (event) => events.push(event), ...options });
    return { files: folderFiles(join(work, 'out')), events };
  }

  it('should write the same folder, byte for byte, with 1, 2 and 3 threads (scored; and with ATIF and the preference formats)', async () => {
    const one = await run('one', { jobs: 1 });
    expect(Object.keys(one.files)).toContain('sharegpt/train.jsonl');
    expect(one.events).toContainEqual(expect.objectContaining({ kind: 'read', sessions: expect.any(Number) }));
    expect(JSON.parse(one.files['manifest.json']!).counts.sessions).toBeGreaterThanOrEqual(10);
    expect((await run('two', { jobs: 2 })).files).toEqual(one.files);
    expect((await run('three', { jobs: 3 })).files).toEqual(one.files);
    const formats = ['openai', 'atif', 'dpo-trl', 'kto'];
    const preferencesOne = await run('pairs-one', { jobs: 1, formats, validationRatio: 0 });
    // ATIF embeds each session's score, applied at merge time (the pairs with outcomes: the town test).
    expect(preferencesOne.files['atif/train.jsonl']).toMatch(/"score":0\.\d+/u);
    expect((await run('pairs-two', { jobs: 2, formats, validationRatio: 0 })).files).toEqual(preferencesOne.files);
  }, 240_000);

  it('should read again only the one changed file of a Claude Code project, and nothing when nothing changed', async () => {
    const options: RunForgeOptions = { roots: [home], out: join(work, 'incremental'), cacheDir: join(work, 'cache-incremental'), env: { HOME: home }, cwd: work, jobs: 2 };
    const reads: Array<Extract<RunProgress, { kind: 'read' }>> = [];
    const onProgress = (event: RunProgress) => void (event.kind === 'read' && reads.push(event));
    await runForge({ ...options, onProgress });
    expect(reads[0]!.filesRead).toBe(reads[0]!.files);
    const project = join(home, claudeProject);
    const projectFiles = readdirSync(project).filter((name) => name.endsWith('.jsonl'));
    expect(projectFiles.length).toBeGreaterThan(5);
    expect((await runForge({ ...options, onProgress })).upToDate).toBe(true);
    // One transcript of the project grows by a line: the project's unit is handled again (every
    // other unit is served from the unit cache), its files read through the per-file cache.
    const grown = join(project, '785d9c5e-608b-4153-be11-9b182a683525.jsonl');
    const grow = (uuid: string) => {
      const last = JSON.parse(readFileSync(grown, 'utf8').trimEnd().split('\n').at(-1)!) as { uuid: string; sessionId: string; cwd: string };
      appendFileSync(grown, `${JSON.stringify({ type: 'system', subtype: 'informational', content: 'one more line', level: 'info', uuid, parentUuid: last.uuid, sessionId: last.sessionId, cwd: last.cwd, timestamp: '2026-12-01T00:00:00.000Z', isSidechain: false, userType: 'external' })}\n`);
    };
    grow('0f0e0d0c-0b0a-4908-8706-050403020100');
    const again = await runForge({ ...options, onProgress });
    expect(again.upToDate).toBe(false);
    expect(reads.at(-1)!.files).toBe(reads[0]!.files);
    expect(reads.at(-1)!.filesRead).toBeGreaterThanOrEqual(projectFiles.length);
    expect(reads.at(-1)!.filesRead).toBeLessThan(reads[0]!.files);
    // The project's next change: that file alone is read, the project linked again from the others' cached reads.
    grow('0f0e0d0c-0b0a-4908-8706-050403020101');
    expect((await runForge({ ...options, onProgress })).upToDate).toBe(false);
    expect(reads.at(-1)).toMatchObject({ files: reads[0]!.files, filesRead: 1 });
    // The same dataset as a cold run over the changed home.
    const cold = join(work, 'incremental-cold');
    await runForge({ ...options, out: cold, cacheDir: join(work, 'cache-incremental-cold') });
    const { 'manifest.json': manifest, ...files } = folderFiles(join(work, 'incremental'));
    const { 'manifest.json': coldManifest, ...coldFiles } = folderFiles(cold);
    expect(files).toEqual(coldFiles);
    const withoutOut = (text: string | undefined) => ({ ...JSON.parse(text!), options: undefined, inputs: undefined });
    expect(withoutOut(manifest)).toEqual(withoutOut(coldManifest));
  }, 240_000);

  it('should turn a bad file into a warning and a failing unit into a warning per file, and go on', async () => {
    const bad = join(work, 'bad-home');
    cpSync(join(home, '.pi'), join(bad, '.pi'), { recursive: true });
    // A Codex rollout that claims to be zstd but is not: its reader fails on it in a worker.
    const rollouts = join(bad, '.codex', 'sessions', '2026', '11', '30');
    mkdirSync(rollouts, { recursive: true });
    writeFileSync(join(rollouts, 'rollout-2026-11-30T10-00-00-0199a0b0-0000-7000-8000-000000000001.jsonl.zst'), Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(64, 0xff)]));
    const result = await runForge({ roots: [bad], out: join(work, 'bad-out'), cacheDir: join(work, 'cache-bad'), env: { HOME: bad }, cwd: work, jobs: 2, score: false });
    expect(result.manifest.counts.sessions).toBeGreaterThan(3);
    expect(result.manifest.warnings).toBeGreaterThan(0);
    expect(result.manifest.skipped).toContainEqual(expect.objectContaining({ kind: 'file', ref: expect.stringContaining('rollout-2026-11-30T10-00-00') }));

    // A unit a worker cannot handle at all (here: a reader it does not know) fails alone.
    const pi = readdirSync(join(bad, '.pi'), { recursive: true, withFileTypes: true }).find((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))!;
    const path = join(pi.parentPath, pi.name);
    const file = { path, source: 'pi' as const, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs };
    const piReader = sourceReaders.find((reader) => reader.name === 'pi-family')!;
    const unknown: ReadUnit = { reader: { ...piReader, name: 'no-such-reader' }, files: [file] };
    const results = [];
    const units = [unknown, { reader: piReader, files: [file] }];
    const threads = await UnitThreads.open(units.length, { jobs: 2, build: {} });
    try {
      for await (const handled of threads.handle(units, { reuseCache: false, readOptions: {}, sources: ['pi'], score: false, preferences: false })) results.push(handled.result);
    } finally {
      await threads.close();
    }
    expect(results[0]).toMatchObject({ sessions: [], fileWarnings: [{ file: file.path, kind: 'unreadable-file', message: expect.stringContaining('no reader named no-such-reader') }] });
    expect(results[1]!.fileWarnings).toEqual([]);
  }, 240_000);
});
