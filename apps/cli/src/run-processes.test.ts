import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../bench/generate-corpus.ts';

const packageRoot = join(import.meta.dirname, '..');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A `forge` process from the sources (real processes; no build needed). */
function startForge(args: string[], home: string): { exited: Promise<{ code: number; stderr: string }>; running: () => boolean; stderr: () => string; kill: () => void } {
  const script = `const { main } = await import(${JSON.stringify(join(import.meta.dirname, 'main.ts'))}); process.exitCode = await main(${JSON.stringify(args)});`;
  const child = spawn(process.execPath, ['--conditions=@forge/source', '--import', tsxLoader, '--input-type=module', '-e', script], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let running = true;
  const exited = new Promise<{ code: number; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => {
      running = false;
      resolve({ code: code ?? (signal == null ? -1 : 128), stderr });
    }),
  );
  return { exited, running: () => running, stderr: () => stderr, kill: () => child.kill('SIGKILL') };
}

/** Waits until `condition` holds, failing when the run ends first. */
async function until(condition: () => boolean, forge: { running: () => boolean; stderr: () => string }, what: string): Promise<void> {
  while (!condition()) {
    if (!forge.running()) throw new Error(`the run ended before ${what}: ${forge.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every file of a dataset folder but its manifest (which names the folder), by relative path. */
function datasetFiles(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() && entry.name !== 'manifest.json') files[relative(folder, path)] = readFileSync(path, 'utf8');
  }
  return files;
}

describe('forge run as real processes', () => {
  let home: string;
  let cache: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'forge-processes-'));
    cache = join(home, 'cache');
    // Enough real-format files (copies of the demo's) that a run takes a while.
    generateCorpus({ templateHome: join(packageRoot, 'demo', 'home'), home, targetBytes: 6 * 1024 * 1024 });
  });

  it('should let two runs on one state cache both finish: one waits for the other, then reads from the cache', { timeout: 300_000 }, async () => {
    // Started together, they reach the state database at about the same time; a run holds it for
    // seconds, so one of them has to wait for the other.
    const runs = await Promise.all(['first', 'second'].map((out) => startForge(['run', '--out', join(home, out), '--cache-dir', cache], home).exited));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const waited = runs.filter((run) => /^waiting: another forge run \(pid \d+, since .+\) is using the state database .*state\.sqlite$/mu.test(run.stderr));
    expect(waited).toHaveLength(1);
    // The one that waited found every file in the cache the other had just filled.
    expect(waited[0]!.stderr).toMatch(/^read 0 of \d+ files \(the rest unchanged, from the cache\)/mu);
    expect(datasetFiles(join(home, 'second'))).toEqual(datasetFiles(join(home, 'first')));
    const database = new Database(join(cache, 'state.sqlite'), { readonly: true });
    expect(database.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(database.prepare('SELECT count(*) AS holds FROM run_lock').get()).toEqual({ holds: 0 });
    database.close();
  });

  it('should leave a killed run no trace: its temp folder and its hold on the state are cleared by the next run', { timeout: 300_000 }, async () => {
    const out = join(home, 'dataset');
    const complete = await startForge(['run', '--out', out, '--cache-dir', cache], home).exited;
    expect(complete.code, complete.stderr).toBe(0);
    const before = datasetFiles(out);
    const killed = startForge(['run', '--full', '--out', out, '--cache-dir', cache], home);
    await until(() => readdirSync(home).some((name) => name.startsWith('.forge-tmp-dataset-')), killed, 'it made its temp folder');
    killed.kill();
    await killed.exited;
    expect(readdirSync(home).filter((name) => name.startsWith('.forge-tmp-dataset-'))).toHaveLength(1);
    // Nothing changed since the complete run: the next one is up to date, and still clears up.
    const next = await startForge(['run', '--out', out, '--cache-dir', cache], home).exited;
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/^up to date: /mu);
    expect(next.stderr).not.toMatch(/waiting/u);
    expect(readdirSync(home).filter((name) => name.startsWith('.forge-'))).toEqual([]);
    expect(datasetFiles(out)).toEqual(before);
  });
});
