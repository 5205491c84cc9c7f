import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId, Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type ReadUnit } from '@forge/state';
import { exitCodes } from './cli-io.js';
import { isOutOfSpace } from './out-of-space.js';
import { UnitThreads } from './run/unit-threads.js';
import { sourceReaders } from './sources/source-registry.js';
import { runCli } from './test-support/run-cli.js';

// /dev/full takes no bytes: every write to it fails with ENOSPC, as on a full disk.
const fullDevice = '/dev/full';
const work = mkdtempSync(join(tmpdir(), 'forge-out-of-space-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The error a write to a full disk throws here, or in a worker thread (whose errors cross threads as clones). */
async function fullDiskError(where: 'here' | 'worker'): Promise<Error> {
  if (where === 'here') {
    try {
      writeFileSync(fullDevice, 'row');
    } catch (error) {
      return error as Error;
    }
    throw new Error('a write to /dev/full succeeded');
  }
  const worker = new Worker(`const { parentPort } = require('node:worker_threads'); try { require('node:fs').writeFileSync('${fullDevice}', 'row'); } catch (error) { parentPort.postMessage(error); }`, { eval: true });
  try {
    return await new Promise<Error>((resolve) => worker.once('message', resolve));
  } finally {
    await worker.terminate();
  }
}

describe.skipIf(!existsSync(fullDevice))('a full disk', () => {
  it('should be told from other errors, here, from a worker thread and from SQLite', async () => {
    const here = await fullDiskError('here');
    expect((here as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(isOutOfSpace(here)).toBe(true);
    const fromWorker = await fullDiskError('worker');
    expect((fromWorker as NodeJS.ErrnoException).code).toBeUndefined();
    expect(isOutOfSpace(fromWorker)).toBe(true);

    // A database allowed two pages is full after a few rows, as on a full disk.
    const database = new Database(join(work, 'full.sqlite'));
    database.exec('CREATE TABLE rows (line TEXT)');
    database.pragma('max_page_count = 2');
    let sqliteError: unknown;
    try {
      for (let row = 0; row < 100; row += 1) database.prepare('INSERT INTO rows VALUES (?)').run('x'.repeat(1000));
    } catch (error) {
      sqliteError = error;
    } finally {
      database.close();
    }
    expect(sqliteError).toMatchObject({ code: 'SQLITE_FULL' });
    expect(isOutOfSpace(sqliteError)).toBe(true);

    let missing: unknown;
    try {
      statSync(join(work, 'no-such-file'));
    } catch (error) {
      missing = error;
    }
    expect(isOutOfSpace(missing)).toBe(false);
    expect(isOutOfSpace(new Error('a row spill ended early'))).toBe(false);
    expect(isOutOfSpace('ENOSPC: no space left on device')).toBe(false);
  });

  it('should end forge run rather than become per-file warnings over spills cut short, with one job and with two', async () => {
    const demoPi = join(import.meta.dirname, '..', 'demo', 'home', '.pi');
    const entry = readdirSync(demoPi, { recursive: true, withFileTypes: true }).find((found) => found.isFile() && found.name.endsWith('.jsonl'))!;
    const path = join(entry.parentPath, entry.name);
    const unit: ReadUnit = { reader: sourceReaders.find((reader) => reader.name === 'pi-family')!, files: [{ path, source: 'pi', size: statSync(path).size, mtimeMs: statSync(path).mtimeMs }] };
    for (const jobs of [1, 2]) {
      // Each thread's scoring views go to `scoring-views-<threadId>.jsonl`: this thread's, and those of the workers it starts next.
      const spillDirectory = mkdtempSync(join(work, `views-${jobs}-`));
      for (let id = threadId; id < threadId + 2000; id += 1) symlinkSync(fullDevice, join(spillDirectory, `scoring-views-${id}.jsonl`));
      const threads = await UnitThreads.open(2, { jobs, build: {}, spillDirectory });
      const handled: unknown[] = [];
      try {
        const handling = (async () => {
          for await (const { result } of threads.handle([unit, unit], { reuseCache: false, readOptions: {}, sources: ['pi'], score: true, preferences: false })) handled.push(result);
        })();
        await expect(handling).rejects.toThrow(/^ENOSPC: no space left on device/);
      } finally {
        await threads.close();
      }
      expect(handled).toEqual([]);
    }
  }, 60_000);

  it('should end the command with what to do', async () => {
    const home = mkdtempSync(join(work, 'home-'));
    const out = join(home, 'dataset');
    const run = await runCli(['run', '--demo', '--format', 'messages', '--out', out, '--quiet'], { env: { HOME: home }, cwd: home });
    expect(run.exitCode, run.stderr).toBe(exitCodes.ok);
    const report = await runCli(['report', out, '--out', fullDevice], { env: { HOME: home }, cwd: home });
    expect(report.exitCode).toBe(exitCodes.failure);
    expect(report.stderr).toMatch(/^forge: no space left to write \(ENOSPC: no space left on device, write\): free space on the disk of the --out folder and of the cache/);
    expect(report.stderr).not.toContain('unexpected failure');
  }, 60_000);
});
