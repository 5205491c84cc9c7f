// pnpm bench (in apps/cli): `forge run` over ONE generated pi session of ~1 GB (FORGE_BENCH_HUGE_BYTES),
// which takes the streaming path (files above 64 MiB are read in passes, a token window at a time).
// Reports wall time, CPU time and peak RSS, each in a fresh process, next to the raw floor (read +
// split + JSON.parse of the same file, one thread) measured in the same run. Not a test: nothing
// here asserts a timing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateHugePiSession } from './generate-huge-session.ts';

const packageRoot = join(import.meta.dirname, '..');
const targetBytes = Number(process.env.FORGE_BENCH_HUGE_BYTES ?? 1024 ** 3);
const workFolder = mkdtempSync(join(tmpdir(), 'forge-huge-bench-'));
const home = join(workFolder, 'home');
const megabytes = (bytes: number) => bytes / 1024 / 1024;
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

/** Runs a node script in a fresh process: wall and CPU seconds, peak RSS. */
function timed(label: string, args: string[], env: Record<string, string> = {}): { seconds: number; cpuSeconds: number; peakMb: number; stderr: string } {
  const rssFile = join(workFolder, `${label.replace(/\W+/gu, '-')}.rss`);
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, '--import', join(import.meta.dirname, 'report-peak-rss.mjs'), ...args], {
    env: { PATH: process.env.PATH, HOME: home, FORGE_BENCH_RSS_FILE: rssFile, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && result.status !== 3) throw new Error(`${label} failed (${result.status}): ${result.stderr}`);
  const [user = 0, system = 0] = (result.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { seconds, cpuSeconds: user + system, peakMb: Number(readFileSync(rssFile, 'utf8')) / 1024, stderr: result.stderr };
}

function report(label: string, measured: { seconds: number; cpuSeconds: number; peakMb: number }, bytes: number, floor: { seconds: number }): void {
  console.log(
    `${label.padEnd(34)} ${measured.seconds.toFixed(1).padStart(7)} s  ${(megabytes(bytes) / measured.seconds).toFixed(1).padStart(6)} MB/s  ${(measured.seconds / floor.seconds).toFixed(2).padStart(5)}× floor  CPU ${measured.cpuSeconds.toFixed(1)} s  peak RSS ${measured.peakMb.toFixed(0)} MB  (load ${load()})`,
  );
}

try {
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@forge/cli...', '--output-logs=errors-only'], { cwd: join(packageRoot, '..', '..'), stdio: 'inherit' });
  const started = Date.now();
  const file = join(home, '.pi', 'agent', 'sessions', '--home-ubuntu-gt-myrig-polecats-nux--', '2026-11-24T04-07-47-845Z_01a20bbd-0984-77ca-9e17-b16b16b16b16.jsonl');
  const { bytes, entries } = generateHugePiSession({ path: file, targetBytes });
  console.log(`one pi session: ${megabytes(bytes).toFixed(0)} MB, ${entries} entries, generated in ${((Date.now() - started) / 1000).toFixed(0)} s; load ${load()}`);
  const floor = timed('raw floor', [join(import.meta.dirname, 'raw-floor.mjs'), home]);
  report('raw floor (1 thread)', floor, bytes, floor);
  const run = timed('forge run', [join(packageRoot, 'bin', 'forge.js'), 'run', '--out', join(workFolder, 'dataset'), '--cache-dir', join(workFolder, 'cache')]);
  report('forge run (default options)', run, bytes, floor);
  console.log(run.stderr.split('\n').filter((line) => /^read |^ {2}(sessions|rows|tokens|redacted|skipped)/u.test(line)).map((line) => `    ${line.trim()}`).join('\n'));
} finally {
  rmSync(workFolder, { recursive: true, force: true });
}
