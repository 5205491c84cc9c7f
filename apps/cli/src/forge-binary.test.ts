import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetManifest, parseShareGptRecord, shareGptAlternationProblem } from '@forge/schema';
import { createFixtureHome, plantedSecrets } from './test-support/fixture-home.js';

const run = promisify(execFile);
const packageRoot = join(import.meta.dirname, '..');
const repoRoot = join(packageRoot, '..', '..');
const bin = join(packageRoot, 'bin', 'forge.js');

/** Runs the BUILT `forge` binary as a user would (`node [nodeFlags] forge …`), with HOME pointing at `home`. */
async function forge(args: string[], home: string, nodeFlags: readonly string[] = []): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeFlags, bin, ...args], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, '.cache') },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { exitCode: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

/** Every file under a folder, by relative path, mapped through `describe`. */
function filesUnder(folder: string, describe: (path: string) => string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(folder, path), describe(path));
    }
  };
  walk(folder);
  return files;
}

/** The bytes of every file. */
const snapshot = (folder: string) => filesUnder(folder, (path) => readFileSync(path, 'utf8'));

/** Size and mtime of every file: any write shows. */
const treeState = (folder: string) =>
  filesUnder(folder, (path) => {
    const info = statSync(path);
    return `${info.size}:${info.mtimeMs}`;
  });

describe('the forge binary', () => {
  let home: string;
  let out: string;
  let first: { exitCode: number; stdout: string; stderr: string };

  beforeAll(async () => {
    // The test runs the built artefact: build the CLI and everything it depends on (turbo caches it).
    await run('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@forge/cli...', '--output-logs=errors-only'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
    home = createFixtureHome();
    out = join(home, 'dataset');
    first = await forge(['run', '--out', out, '--json'], home);
  }, 600_000);

  it('should print its version and help for every command', async () => {
    const version = await forge(['--version'], home);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    for (const command of ['run', 'extract', 'export', 'stats', 'inspect']) {
      const help = await forge([command, '--help'], home);
      expect(help.exitCode).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
  });

  it('should read every source from the default locations and write the whole dataset', () => {
    // The fixtures hold torn and invalid lines on purpose: done, with warnings.
    expect(first.exitCode, first.stderr).toBe(3);
    for (const file of ['manifest.json', 'dataset_info.json', 'axolotl.yaml', ...['sharegpt', 'openai', 'messages'].flatMap((format) => ['train', 'val', 'rows'].map((name) => `${format}/${name}.jsonl`))]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const manifest = parseDatasetManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    expect(Object.keys(manifest.counts.sessionsBySource).sort()).toEqual(['claude-code', 'omp', 'pi', 'pir']);
    expect(manifest.counts.sessionsByRole.polecat).toBeGreaterThan(0);
    expect(manifest.counts.sessionsByRole.deacon).toBeGreaterThan(0);
    expect(manifest.inputs.length).toBeGreaterThan(20);
    expect(manifest.warnings).toBeGreaterThan(0);
    expect(manifest.skipped.some((item) => item.kind === 'file')).toBe(true);
    const summary = JSON.parse(first.stdout.trim());
    expect(summary.counts.sessions).toBe(manifest.counts.sessions);
  });

  it('should let no planted secret reach any output file', () => {
    const everything = [...snapshot(out).values()].join('\n');
    for (const [family, secret] of Object.entries(plantedSecrets)) {
      expect(everything.includes(secret), `${family} leaked`).toBe(false);
    }
    expect(everything.includes(home)).toBe(false);
    // The planted sessions were emitted (reworded copies, kept by dedup), with their secrets replaced.
    expect(everything).toMatch(/Please look around this workspace\. My AWS key is \[REDACTED:[\w-]+\]/);
    expect(everything).toMatch(/Use \[REDACTED:[\w-]+\] to check this workspace/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.values(manifest.redactions as Record<string, number>).reduce((total, count) => total + count, 0)).toBeGreaterThanOrEqual(Object.keys(plantedSecrets).length);
  });

  it('should write ShareGPT rows that all obey the alternation rule', () => {
    const rows = ['train.jsonl', 'val.jsonl'].flatMap((file) => readFileSync(join(out, 'sharegpt', file), 'utf8').split('\n').filter((line) => line !== ''));
    expect(rows.length).toBeGreaterThan(5);
    for (const line of rows) {
      const record = parseShareGptRecord(JSON.parse(line));
      expect(shareGptAlternationProblem(record.conversations)).toBeUndefined();
    }
  });

  it('should write every format so DuckDB reads it with one type per column and writes Parquet', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const format of ['sharegpt', 'openai', 'messages']) {
        const source = `read_json('${join(out, format, 'train.jsonl')}', format = 'newline_delimited')`;
        const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
        // DuckDB falls back to JSON where rows disagree on a type: what HF datasets would refuse.
        // Except OpenAI's tools: their parameters are JSON Schema objects as OpenAI requires, whose
        // struct differs per recorded tool (the format's documented note).
        for (const row of described.getRowObjects()) {
          const column = `${format}: ${String(row.column_name)}`;
          if (column === 'openai: tools') continue;
          expect(`${column} ${String(row.column_type)}`).not.toMatch(/\bJSON\b/);
        }
        const parquet = join(home, `${format}.parquet`);
        await connection.run(`COPY (SELECT * FROM ${source}) TO '${parquet}' (FORMAT parquet)`);
        const counted = await connection.runAndReadAll(`SELECT count(*) AS rows FROM read_parquet('${parquet}')`);
        const lines = readFileSync(join(out, format, 'train.jsonl'), 'utf8').split('\n').filter((line) => line !== '').length;
        expect(Number(counted.getRowObjects()[0]!.rows)).toBe(lines);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('should give byte-identical output on a second run, reading no session file again', async () => {
    const before = snapshot(out);
    const second = await forge(['run', '--out', out, '--json'], home);
    expect(second.exitCode).toBe(3);
    expect(second.stderr).toMatch(/^up to date: no input and no option changed/m);
    expect(JSON.parse(second.stdout.trim())).toEqual(JSON.parse(first.stdout.trim()));
    expect(snapshot(out)).toEqual(before);
    // With the output folder touched, the run rebuilds it, still from the state cache alone.
    rmSync(join(out, 'openai', 'val.jsonl'));
    const rebuilt = await forge(['run', '--out', out], home);
    expect(rebuilt.stderr).toMatch(/^read 0 of \d+ files \(the rest unchanged, from the cache\)/m);
    expect(snapshot(out)).toEqual(before);
    const full = await forge(['run', '--out', out, '--full'], home);
    expect(full.exitCode).toBe(3);
    expect(full.stderr).toMatch(/^read \d+ files; \d+ sessions$/m);
    expect(snapshot(out)).toEqual(before);
  });

  it('should re-read only the file that changed', async () => {
    const file = join(home, '.pi', 'agent', 'sessions', '--home-ubuntu-gt-deacon--', '2026-08-10T09-15-02.481Z_7c1e4b2a.jsonl');
    appendFileSync(file, '{"type":"label","id":"feedbeef","parentId":"9b3a7c61","timestamp":"2026-08-10T09:20:00.000Z","targetId":"9b3a7c61","label":"checked"}\n');
    const again = await forge(['run', '--out', out], home);
    expect(again.stderr).toMatch(/^read 1 of \d+ files \(the rest unchanged, from the cache\)/m);
  });

  it('should never write into the agents\' folders', async () => {
    const folders = ['.claude', '.pi', '.omp'].map((folder) => join(home, folder));
    const before = folders.map(treeState);
    await forge(['run', '--out', join(home, 'dataset-2'), '--full', '--quiet'], home);
    await forge(['stats', '--quiet'], home);
    expect(folders.map(treeState)).toEqual(before);
  });

  it('should run the built-in demo with no sessions on the machine', async () => {
    const emptyHome = mkdtempSync(join(tmpdir(), 'forge-empty-home-'));
    const demo = await forge(['run', '--demo', '--out', join(emptyHome, 'demo-dataset')], emptyHome);
    expect(demo.exitCode, demo.stderr).toBe(0);
    expect(demo.stderr).toMatch(/wrote .*demo-dataset/);
    const manifest = parseDatasetManifest(JSON.parse(readFileSync(join(emptyHome, 'demo-dataset', 'manifest.json'), 'utf8')));
    expect(Object.keys(manifest.counts.sessionsBySource).sort()).toEqual(['claude-code', 'omp', 'pi', 'pir']);
  });

  it('should run on worker threads when node is started with V8 flags (a bigger heap for a big home)', async () => {
    const emptyHome = mkdtempSync(join(tmpdir(), 'forge-heap-flags-'));
    // A worker thread rejects V8 flags in its execArgv; they apply to it anyway, so the pool leaves them out.
    const demo = await forge(['run', '--demo', '--jobs', '2', '--quiet', '--out', join(emptyHome, 'demo-dataset')], emptyHome, ['--max-old-space-size=1024', '--stack-trace-limit=20']);
    expect(demo.exitCode, demo.stderr).toBe(0);
    const manifest = parseDatasetManifest(JSON.parse(readFileSync(join(emptyHome, 'demo-dataset', 'manifest.json'), 'utf8')));
    expect(manifest.counts.sessions).toBe(11);
  });

  it('should export one session file in each format', async () => {
    const file = join(home, '.pi', 'agent', 'sessions', '--home-ubuntu-gt-deacon--', '2026-08-10T14-02-41.077Z_e2d94f70.jsonl');
    for (const format of ['sharegpt', 'openai', 'messages']) {
      const exported = await forge(['export', file, '--format', format], home);
      expect(exported.exitCode, exported.stderr).toBe(0);
      const lines = exported.stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(() => JSON.parse(lines[0]!)).not.toThrow();
    }
    const bad = await forge(['export', file, '--format', 'alpaca'], home);
    expect(bad.exitCode).toBe(2);
  });
});
