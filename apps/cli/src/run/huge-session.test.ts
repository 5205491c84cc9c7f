import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { piFamilySource } from '@forge/extract-pir';
import { sessionPassesOf } from '@forge/reader-kit';
import { generateHugePiSession } from '../../bench/generate-huge-session.js';
import { demoHome } from './default-paths.js';
import { runForge, type RunForgeOptions } from './run-forge.js';

/** Every file under a folder, by relative path, with its bytes. */
function folderFiles(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.set(relative(folder, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name)));
  }
  return files;
}

/**
 * A home with the demo corpus (Claude Code, pi, pir, omp), the shared pi fixtures (branches,
 * compactions, bad lines) and one generated pi session of tens of MB whose last line was cut off.
 */
function homeWithBigSession(): { home: string; bigFile: string; lastLine: number } {
  const home = mkdtempSync(join(tmpdir(), 'forge-huge-'));
  cpSync(demoHome(), home, { recursive: true });
  cpSync(join(sharedFixturesRoot, 'pi', 'sessions'), join(home, '.pi', 'agent', 'sessions'), { recursive: true });
  const bigFile = join(home, '.pi', 'agent', 'sessions', '--home-ubuntu-gt-myrig-polecats-nux--', '2026-11-24T04-07-47-845Z_01a20bbd-0984-77ca-9e17-b16b16b16b16.jsonl');
  const { entries } = generateHugePiSession({ path: bigFile, targetBytes: 12_000_000 });
  // The writer was killed mid-line: a warning with file:line, and the rest is kept.
  appendFileSync(bigFile, '{"type":"message","id":"cut","parentId":');
  return { home, bigFile, lastLine: entries + 2 };
}

describe('forge run on a file too big to hold', () => {
  const { home, bigFile, lastLine } = homeWithBigSession();
  /** One run into `~/dataset` (the manifest records the path), then moved aside. */
  const run = async (name: string, options: Partial<RunForgeOptions>) => {
    const result = await runForge({ roots: [home], out: join(home, 'dataset'), cacheDir: join(home, `cache-${name}`), score: false, env: { HOME: home }, cwd: home, ...options });
    const out = join(home, `dataset-${name}`);
    renameSync(join(home, 'dataset'), out);
    return { out, result };
  };

  it('should write byte-identical datasets whether each pi-family file is streamed in passes or read whole', { timeout: 600_000 }, async () => {
    // hugeFileBytes 1: every pi, pir and omp file (demo, branches, the big one) takes the streaming path.
    const streamed = await run('streamed', { hugeFileBytes: 1, formats: ['sharegpt', 'openai', 'messages', 'atif'] });
    const whole = await run('whole', { hugeFileBytes: Number.MAX_SAFE_INTEGER, formats: ['sharegpt', 'openai', 'messages', 'atif'] });
    const streamedFiles = folderFiles(streamed.out);
    const wholeFiles = folderFiles(whole.out);
    expect([...streamedFiles.keys()].sort()).toEqual([...wholeFiles.keys()].sort());
    // The manifest first, as JSON, so a difference reads as one.
    expect(JSON.parse(streamedFiles.get('manifest.json')!.toString())).toEqual(JSON.parse(wholeFiles.get('manifest.json')!.toString()));
    expect([...wholeFiles].filter(([path, bytes]) => streamedFiles.get(path)?.equals(bytes) !== true).map(([path]) => path)).toEqual([]);
    const manifest = whole.result.manifest;
    // The big session is in: split into many windows, its truncated line counted among the warnings.
    expect(manifest.inputs.map((input) => input.path)).toContain(`~/${relative(home, bigFile)}`);
    expect(manifest.counts.rowsByFormat.sharegpt!.train + manifest.counts.rowsByFormat.sharegpt!.validation).toBeGreaterThan(40);
    expect(manifest.warnings).toBeGreaterThan(0);
  });

  it('should score a streamed session as it scores the session read whole, and pair its branches alike', { timeout: 600_000 }, async () => {
    // Scoring on: a streamed file's scoring view is built a message at a time during the first pass.
    const streamed = await run('scored-streamed', { hugeFileBytes: 1, score: true, formats: ['sharegpt', 'dpo-trl'] });
    const whole = await run('scored-whole', { hugeFileBytes: Number.MAX_SAFE_INTEGER, score: true, formats: ['sharegpt', 'dpo-trl'] });
    const streamedFiles = folderFiles(streamed.out);
    const wholeFiles = folderFiles(whole.out);
    expect(JSON.parse(streamedFiles.get('manifest.json')!.toString())).toEqual(JSON.parse(wholeFiles.get('manifest.json')!.toString()));
    expect([...wholeFiles].filter(([path, bytes]) => streamedFiles.get(path)?.equals(bytes) !== true).map(([path]) => path)).toEqual([]);
    // Two worker threads score the views they spilled, and one of them the view this thread spilled
    // for the streamed big file: the same folder, byte for byte.
    const threaded = await run('scored-threads', { hugeFileBytes: 5_000_000, jobs: 2, score: true, formats: ['sharegpt', 'dpo-trl'] });
    const threadedFiles = folderFiles(threaded.out);
    expect(JSON.parse(threadedFiles.get('manifest.json')!.toString())).toEqual(JSON.parse(wholeFiles.get('manifest.json')!.toString()));
    expect([...wholeFiles].filter(([path, bytes]) => threadedFiles.get(path)?.equals(bytes) !== true).map(([path]) => path)).toEqual([]);
    // Every session scored, the big one included: its rows carry a number, not null.
    const rows = wholeFiles.get('sharegpt/rows.jsonl')!.toString().trim().split('\n').map((line) => JSON.parse(line) as { sessionId: string; score: number | null });
    expect(rows.length).toBeGreaterThan(40);
    expect(rows.filter((row) => row.score == null)).toEqual([]);
    expect(whole.result.manifest.scoring?.sessions).toBeGreaterThan(0);
  });

  it('should stream the big file with the reader and report its cut-off last line with file:line', async () => {
    const heads = [];
    for (const passes of sessionPassesOf(piFamilySource, { path: bigFile, source: 'pi', size: 0, mtimeMs: 0 })) {
      let messages = 0;
      for await (const message of passes.messages()) if (message.role === 'assistant') messages += 1;
      expect(messages).toBeGreaterThan(500);
      heads.push(passes.head());
    }
    expect(heads).toHaveLength(1);
    expect(heads[0]?.warnings).toContainEqual(expect.objectContaining({ kind: 'truncated-line', file: bigFile, line: lastLine }));
  });
});
