// pnpm bench (in apps/cli): `forge run` over a generated ≥1 GB mixed corpus. Reports MB/s, peak RSS
// and the re-run time, each in a fresh process next to the raw floor (read + split + JSON.parse of
// the same files, one thread) measured in the same run. Not a test: nothing here asserts a timing.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from './generate-corpus.ts';

const packageRoot = join(import.meta.dirname, '..');
const targetBytes = Number(process.env.FORGE_BENCH_BYTES ?? 1.05 * 1024 ** 3);
const workFolder = mkdtempSync(join(tmpdir(), 'forge-cli-bench-'));
const home = join(workFolder, 'home');
const megabytes = (bytes: number) => bytes / 1024 / 1024;

function findFile(folder: string, suffix: string): string {
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(suffix)) return join(entry.parentPath, entry.name);
  }
  throw new Error(`no ${suffix} file under ${folder}`);
}

/** Runs a node script in a fresh process; wall seconds, peak RSS and stderr. */
function timed(label: string, args: string[]): { seconds: number; peakMb: number; stderr: string } {
  const rssFile = join(workFolder, `${label}.rss`);
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', join(import.meta.dirname, 'report-peak-rss.mjs'), ...args], {
    env: { PATH: process.env.PATH, HOME: home, FORGE_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && result.status !== 3) throw new Error(`${label} failed (${result.status}): ${result.stderr}`);
  return { seconds, peakMb: Number(readFileSync(rssFile, 'utf8')) / 1024, stderr: result.stderr };
}

function report(label: string, { seconds, peakMb }: { seconds: number; peakMb: number }, corpusBytes: number, floorSeconds: number): void {
  console.log(`${label.padEnd(24)} ${seconds.toFixed(1).padStart(7)} s  ${(megabytes(corpusBytes) / seconds).toFixed(1).padStart(7)} MB/s  ${(seconds / floorSeconds).toFixed(2).padStart(5)}× floor  peak RSS ${peakMb.toFixed(0)} MB`);
}

function forgeRun(label: string, args: string[], corpusBytes: number, floorSeconds: number): number {
  const measured = timed(label, [join(packageRoot, 'bin', 'forge.js'), 'run', ...args]);
  report(label, measured, corpusBytes, floorSeconds);
  console.log(measured.stderr.split('\n').filter((line) => /^read |^up to date|^ {2}(sessions|rows|tokens|redacted|skipped)/u.test(line)).map((line) => `    ${line.trim()}`).join('\n'));
  return measured.seconds;
}

try {
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@forge/cli...', '--output-logs=errors-only'], { cwd: join(packageRoot, '..', '..'), stdio: 'inherit' });
  const started = Date.now();
  const corpus = generateCorpus({ templateHome: join(packageRoot, 'demo', 'home'), home, targetBytes });
  console.log(`corpus: ${corpus.files} files, ${megabytes(corpus.bytes).toFixed(0)} MB (claude, pi, pir, omp) generated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const out = join(workFolder, 'dataset');
  const cache = join(workFolder, 'cache');
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  const floor = timed('raw floor', [join(import.meta.dirname, 'raw-floor.mjs'), home]);
  report('raw floor (1 thread)', floor, corpus.bytes, floor.seconds);
  forgeRun('first run', ['--out', out, '--cache-dir', cache], corpus.bytes, floor.seconds);
  forgeRun('re-run, nothing changed', ['--out', out, '--cache-dir', cache], corpus.bytes, floor.seconds);
  // One pi session grows by a line: that file is read again, the dataset rebuilt from the cache.
  const grown = findFile(join(home, '.pi'), '.jsonl');
  const lastEntry = JSON.parse(readFileSync(grown, 'utf8').trimEnd().split('\n').at(-1) ?? '{}') as { id?: string };
  appendFileSync(grown, `${JSON.stringify({ type: 'label', id: 'benchlbl', parentId: lastEntry.id ?? null, timestamp: new Date(0).toISOString(), targetId: lastEntry.id, label: 'bench' })}\n`);
  forgeRun('re-run, one file grew', ['--out', out, '--cache-dir', cache], corpus.bytes, floor.seconds);
  if (process.env.FORGE_BENCH_FULL === '1') forgeRun('re-run with --full', ['--out', out, '--cache-dir', cache, '--full'], corpus.bytes, floor.seconds);
  // What scoring adds (reading beads and git for the sessions' folders, a second pass over the
  // state cache, linking and scoring): the same first run and cached rebuild without it.
  const unscoredOut = join(workFolder, 'dataset-unscored');
  const unscoredCache = join(workFolder, 'cache-unscored');
  const scoredFirst = forgeRun('first run (scored)', ['--out', join(workFolder, 'dataset-scored'), '--cache-dir', join(workFolder, 'cache-scored')], corpus.bytes, floor.seconds);
  const unscoredFirst = forgeRun('first run --no-score', ['--out', unscoredOut, '--cache-dir', unscoredCache, '--no-score'], corpus.bytes, floor.seconds);
  const scoredRebuild = forgeRun('cached rebuild (scored)', ['--out', join(workFolder, 'dataset-scored'), '--cache-dir', join(workFolder, 'cache-scored'), '--max-tokens', '32767'], corpus.bytes, floor.seconds);
  const unscoredRebuild = forgeRun('cached rebuild --no-score', ['--out', unscoredOut, '--cache-dir', unscoredCache, '--no-score', '--max-tokens', '32767'], corpus.bytes, floor.seconds);
  console.log(`scoring adds ${(((scoredFirst - unscoredFirst) / unscoredFirst) * 100).toFixed(1)}% to a first run, ${(((scoredRebuild - unscoredRebuild) / unscoredRebuild) * 100).toFixed(1)}% to a rebuild from the cache`);
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
} finally {
  rmSync(workFolder, { recursive: true, force: true });
}
