import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { demoHome } from './default-paths.js';
import { runForge, type RunForgeOptions, type RunProgress } from './run-forge.js';

const claudeProject = join('.claude', 'projects', '-home-ubuntu-gt-myrig-polecats-nux');
const piFolder = join('.pi', 'agent', 'sessions', '--home-ubuntu-gt-myrig-crew-max--');

/** Every file of a folder by relative path, with the SHA-256 of its bytes. */
function folderHashes(folder: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) hashes[relative(folder, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return hashes;
}

/** A line more at the end of a pi session (a user message answering nothing yet). */
function growPi(path: string, id: string): void {
  const last = JSON.parse(readFileSync(path, 'utf8').trimEnd().split('\n').at(-1)!) as { id: string };
  appendFileSync(path, `${JSON.stringify({ type: 'message', id, parentId: last.id, timestamp: '2026-12-01T00:00:00.000Z', message: { role: 'user', content: [{ type: 'text', text: `one more question ${id}` }], timestamp: 1_795_500_000_000 } })}\n`);
}

/** A line more at the end of a Claude Code transcript. */
function growClaude(path: string, uuid: string): void {
  const last = JSON.parse(readFileSync(path, 'utf8').trimEnd().split('\n').at(-1)!) as { uuid: string; sessionId: string; cwd: string };
  appendFileSync(path, `${JSON.stringify({ type: 'system', subtype: 'informational', content: 'one more line', level: 'info', uuid, parentUuid: last.uuid, sessionId: last.sessionId, cwd: last.cwd, timestamp: '2026-12-01T00:00:00.000Z', isSidechain: false, userType: 'external' })}\n`);
}

describe('forge run with the unit cache', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'forge-unit-cache-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A home of its own (the demo home and the real agent programs' files), a cache kept across runs, and one for `--full` runs. */
  function setUp(name: string, options: RunForgeOptions) {
    const home = join(work, name, 'home');
    cpSync(demoHome(), home, { recursive: true });
    for (const program of ['claude', 'pi']) cpSync(join(sharedFixturesRoot, 'real', program), home, { recursive: true });
    const cache = join(work, name, 'cache');
    const base: RunForgeOptions = { roots: [home], out: join(work, name, 'out'), env: { HOME: home }, cwd: work, ...options };
    /** One run into the same folder; `full`: with `--full` and a cache of its own. Its output's hashes and how many files it read. */
    const run = async (full: boolean, more: RunForgeOptions = {}) => {
      let read: Extract<RunProgress, { kind: 'read' }> | undefined;
      await runForge({ ...base, cacheDir: full ? join(work, name, 'cache-full') : cache, full, onProgress: (event) => void (event.kind === 'read' && (read = event)), ...more });
      return { hashes: folderHashes(base.out!), read: read! };
    };
    return { home, cache, run };
  }

  /** Cold, then each change: the cached run writes what a `--full` run writes, byte for byte, reading only the changed unit. */
  async function changesMatchFullRuns(name: string, options: RunForgeOptions): Promise<void> {
    const { home, cache, run } = setUp(name, options);
    const cold = await run(false);
    expect(cold.read.filesRead).toBe(cold.read.files);
    const piFiles = readdirSync(join(home, piFolder)).filter((file) => file.endsWith('.jsonl')).sort();
    const projectFiles = readdirSync(join(home, claudeProject)).filter((file) => file.endsWith('.jsonl'));
    const changes: Array<{ change: () => void; filesRead: (read: number) => void }> = [
      { change: () => growPi(join(home, piFolder, piFiles[0]!), 'f00dfeed'), filesRead: (read) => expect(read).toBe(1) },
      // A Claude Code project is one unit: its first change reads it whole, its next one the file alone.
      { change: () => growClaude(join(home, claudeProject, '785d9c5e-608b-4153-be11-9b182a683525.jsonl'), '0f0e0d0c-0b0a-4908-8706-050403020100'), filesRead: (read) => expect(read).toBeGreaterThanOrEqual(projectFiles.length) },
      { change: () => growClaude(join(home, claudeProject, '785d9c5e-608b-4153-be11-9b182a683525.jsonl'), '0f0e0d0c-0b0a-4908-8706-050403020101'), filesRead: (read) => expect(read).toBe(1) },
      { change: () => rmSync(join(home, piFolder, piFiles[1]!)), filesRead: (read) => expect(read).toBe(0) },
      { change: () => copyFileSync(join(home, piFolder, piFiles[0]!), join(home, piFolder, `2026-12-01T00-00-00-000Z_${piFiles[0]!.split('_')[1]!}`)), filesRead: (read) => expect(read).toBe(1) },
    ];
    for (const { change, filesRead } of changes) {
      change();
      const cached = await run(false);
      filesRead(cached.read.filesRead);
      expect(cached.hashes).toEqual((await run(true)).hashes);
    }
    // Every segment is referenced, every entry's segment is there.
    const database = new Database(join(cache, 'state.sqlite'), { readonly: true });
    const segments = (database.prepare('SELECT DISTINCT segment FROM unit_results').all() as { segment: string }[]).map((row) => row.segment).sort();
    database.close();
    expect(readdirSync(join(cache, 'unit-results')).sort()).toEqual(segments);
  }

  it('should write what a --full run writes after a pi file grew, a Claude Code transcript grew, a file went and one came (--jobs 1, unscored)', async () => {
    await changesMatchFullRuns('one-unscored', { jobs: 1, score: false });
  }, 240_000);

  it('should write what a --full run writes after each change with --jobs 2, scored, with a preference format', async () => {
    await changesMatchFullRuns('two-scored', { jobs: 2, formats: ['sharegpt', 'dpo-trl'], validationRatio: 0 });
  }, 240_000);

  it('should handle every unit again when an option that shapes rows changes, and serve them all when none does', async () => {
    const { run } = setUp('options', { jobs: 1, score: false });
    const cold = await run(false);
    const files = cold.read.files;
    // Each run changes the output folder's options, so none is up to date; each changed option misses every unit.
    for (const more of [{ keepNoise: true }, { maxTokens: 4096 }, { systemPrompt: 'drop' }, { redaction: { literalValues: ['polecats'] } }, { formats: ['openai'] }]) {
      expect((await run(false, more)).read.filesRead).toBe(files);
    }
    // The validation share shapes no unit's result: every unit is served.
    const served = await run(false, { formats: ['openai'], validationRatio: 0.5 });
    expect(served.read.filesRead).toBe(0);
    expect(served.hashes).toEqual((await run(true, { formats: ['openai'], validationRatio: 0.5 })).hashes);
  }, 240_000);
});
