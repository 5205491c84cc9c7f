// pnpm bench (in apps/cli): `forge run` over a generated ≥1 GB corpus of many files (Claude Code
// projects, pi, pir, omp). Cold runs with --jobs 1 and 2, scored and --no-score; re-runs with
// nothing changed and with one pi or one Claude Code file grown. Each in a fresh process, with MB/s,
// peak RSS (worker threads included) and the ratio to the raw floor (read + split + JSON.parse of
// the same files, one thread) measured in the same run. Not a test: nothing here asserts a timing.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
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
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  const floor = timed('raw floor', [join(import.meta.dirname, 'raw-floor.mjs'), home]);
  report('raw floor (1 thread)', floor, corpus.bytes, floor.seconds);
  // Cold runs (each its own cache), default options but the threads: scored, and without scoring.
  const cold = (label: string, name: string, args: string[]): number => forgeRun(label, ['--out', join(workFolder, name), '--cache-dir', join(workFolder, `cache-${name}`), ...args], corpus.bytes, floor.seconds);
  const scored1 = cold('cold --jobs 1', 'jobs1', ['--jobs', '1']);
  const unscored1 = cold('cold --jobs 1 --no-score', 'jobs1-unscored', ['--jobs', '1', '--no-score']);
  const scored2 = cold('cold --jobs 2', 'jobs2', ['--jobs', '2']);
  const unscored2 = cold('cold --jobs 2 --no-score', 'jobs2-unscored', ['--jobs', '2', '--no-score']);
  console.log(`scoring adds ${(((scored1 - unscored1) / unscored1) * 100).toFixed(1)}% with --jobs 1, ${(((scored2 - unscored2) / unscored2) * 100).toFixed(1)}% with --jobs 2; --jobs 2 is ${(scored1 / scored2).toFixed(2)}× as fast as --jobs 1 (scored)`);
  const again = ['--out', join(workFolder, 'jobs2'), '--cache-dir', join(workFolder, 'cache-jobs2'), '--jobs', '2'];
  const unchanged = forgeRun('re-run, nothing changed', again, corpus.bytes, floor.seconds);
  console.log(`    ${((unchanged / scored2) * 100).toFixed(1)}% of the cold run`);
  // One pi session grows by a line: that file is read again, the dataset rebuilt from the cache.
  const grown = findFile(join(home, '.pi'), '.jsonl');
  const lastEntry = JSON.parse(readFileSync(grown, 'utf8').trimEnd().split('\n').at(-1) ?? '{}') as { id?: string };
  appendFileSync(grown, `${JSON.stringify({ type: 'label', id: 'benchlbl', parentId: lastEntry.id ?? null, timestamp: new Date(0).toISOString(), targetId: lastEntry.id, label: 'bench' })}\n`);
  forgeRun('re-run, one pi file grew', again, corpus.bytes, floor.seconds);
  // One Claude Code transcript grows: only it is read again, its project linked again from the cache.
  const claudeFile = findFile(join(home, '.claude', 'projects'), '.jsonl');
  const claudeLast = JSON.parse(readFileSync(claudeFile, 'utf8').trimEnd().split('\n').at(-1) ?? '{}') as { sessionId?: string; uuid?: string; cwd?: string };
  appendFileSync(claudeFile, `${JSON.stringify({ type: 'system', subtype: 'informational', content: 'bench', level: 'info', uuid: randomUUID(), parentUuid: claudeLast.uuid ?? null, sessionId: claudeLast.sessionId, cwd: claudeLast.cwd, timestamp: new Date(0).toISOString(), isSidechain: false, userType: 'external', version: '2.0.0' })}\n`);
  forgeRun('re-run, one claude file grew', again, corpus.bytes, floor.seconds);
  if (process.env.FORGE_BENCH_FULL === '1') forgeRun('re-run with --full', [...again, '--full'], corpus.bytes, floor.seconds);
  console.log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
} finally {
  rmSync(workFolder, { recursive: true, force: true });
}
