import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { demoHome } from './default-paths.js';
import { runForge, type RunProgress } from './run-forge.js';

// Whole seconds: a Date round-trips through utimes exactly, so a rewritten file keeps its mtime.
const pinned = new Date('2026-01-02T03:04:05Z');

describe('forge run with the header memo', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'forge-header-memo-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('should not open an unchanged pi-family file on a re-run, and read every header again with --full', async () => {
    const home = join(work, 'home');
    cpSync(demoHome(), home, { recursive: true });
    cpSync(join(sharedFixturesRoot, 'real', 'pi'), home, { recursive: true });
    const piFiles = ['.pi', '.omp']
      .filter((folder) => existsSync(join(home, folder)))
      .flatMap((folder) => (readdirSync(join(home, folder), { recursive: true }) as string[]).map((name) => join(home, folder, name)))
      .filter((path) => path.endsWith('.jsonl') && statSync(path).size > 0);
    expect(piFiles.length).toBeGreaterThan(3);
    for (const path of piFiles) utimesSync(path, pinned, pinned);
    const run = async (out: string, full: boolean) => {
      let read: Extract<RunProgress, { kind: 'read' }> | undefined;
      await runForge({ roots: [home], out: join(work, out), cacheDir: join(work, 'cache'), env: { HOME: home }, cwd: work, jobs: 1, score: false, full, onProgress: (event) => void (event.kind === 'read' && (read = event)) });
      return read!;
    };
    const cold = await run('cold', false);
    // Every pi-family file now holds blanks of the same size and mtime: opened, it would be no session.
    for (const path of piFiles) {
      writeFileSync(path, ' '.repeat(statSync(path).size));
      utimesSync(path, pinned, pinned);
    }
    // Another output folder, so the run is not merely up to date: discovery and every unit come from the state.
    const again = await run('again', false);
    expect(again).toEqual({ ...cold, filesRead: 0 });
    const full = await run('full', true);
    expect(full.sessions).toBeLessThan(cold.sessions);
    expect(full.files).toBeLessThanOrEqual(cold.files - piFiles.length + 1);
    // --full refreshed the memo: the blanks stay no sessions.
    expect(await run('after-full', false)).toEqual({ ...full, filesRead: 0 });
  }, 240_000);
});
