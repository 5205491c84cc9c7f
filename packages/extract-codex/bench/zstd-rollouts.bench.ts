// Benchmark: `pnpm bench` (builds first). Writes one big rollout in the 0.3x–0.5x shape (the
// hand-written fixture's turns repeated) and its `.jsonl.zst` as Codex writes it (the real zstd
// program, level 3, no checksum), then measures, each in a fresh node process: the floor
// (read + split + JSON.parse of the plain file), the reader on the plain file, the reader on the
// compressed file; time, CPU and peak RSS, and the ratios to the floor. Deletes the files.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MB = 1024 * 1024;
const targetBytes = Number(process.env.BENCH_ROLLOUT_MB ?? 256) * MB;
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(packageRoot, 'fixtures/hand-written/rollout-2025-09-20T10-00-00-0199a1b2-0000-7000-8000-000000000001.jsonl');

/** The fixture's header once, then its turns again and again with fresh call ids, to `targetBytes`. */
function writeRollout(path: string): void {
  const [header, ...body] = readFileSync(fixture, 'utf8').trimEnd().split('\n');
  const out = openSync(path, 'w');
  let bytes = writeSync(out, `${header}\n`);
  for (let round = 0; bytes < targetBytes; round += 1) {
    const chunk = `${body.map((line) => line.replaceAll('call_', `call_${round}_`)).join('\n')}\n`;
    bytes += writeSync(out, chunk);
  }
  closeSync(out);
}

const floorScript = (path: string) => `
import { createReadStream } from 'node:fs';
let lines = 0, rest = '';
for await (const chunk of createReadStream(${JSON.stringify(path)}, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
  const parts = (rest + chunk).split('\\n');
  rest = parts.pop();
  for (const part of parts) if (part !== '') { JSON.parse(part); lines += 1; }
}
console.log(JSON.stringify({ lines }));`;

const readerScript = (path: string) => `
import { foldSessions } from '@forge/reader-kit';
import { codexReader } from '@forge/extract-codex';
const { sessions, fileWarnings } = await foldSessions(codexReader.readFile({ path: ${JSON.stringify(path)}, source: 'codex', size: 0, mtimeMs: 0 }));
console.log(JSON.stringify({ messages: sessions[0].messages.length, warnings: sessions[0].warnings.length + fileWarnings.length }));`;

interface Measurement {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  result: unknown;
}

/** One run in a fresh process; the fastest of three (the least disturbed by the rest of the machine). */
function measure(script: string): Measurement {
  let best: Measurement | undefined;
  for (let repeat = 0; repeat < 3; repeat += 1) {
    const wrapped = `const started = performance.now();\n${script}\nconst usage = process.resourceUsage();\nconsole.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssMb: usage.maxRSS / 1024 }));`;
    const lines = execFileSync(process.execPath, ['--input-type=module', '-e', wrapped], { cwd: packageRoot, encoding: 'utf8', maxBuffer: 16 * MB }).trim().split('\n');
    const timing = JSON.parse(lines.at(-1)!) as Omit<Measurement, 'result'>;
    const run = { ...timing, result: JSON.parse(lines.at(-2)!) as unknown };
    if (best == null || run.seconds < best.seconds) best = run;
  }
  return best!;
}

const folder = mkdtempSync(join(tmpdir(), 'forge-codex-zstd-bench-'));
try {
  const plain = join(folder, 'rollout-2025-09-20T10-00-00-0199a1b2-0000-7000-8000-000000000001.jsonl');
  writeRollout(plain);
  execFileSync('zstd', ['-q', '-3', '--no-check', '-o', `${plain}.zst`, plain]);
  const plainMb = statSync(plain).size / MB;
  const compressedMb = statSync(`${plain}.zst`).size / MB;
  console.log(`rollout: ${plainMb.toFixed(0)} MB plain, ${compressedMb.toFixed(1)} MB zstd; load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  const floor = measure(floorScript(plain));
  const rows: Array<[string, Measurement]> = [
    ['floor (read + split + JSON.parse, plain)', floor],
    ['codexReader, plain .jsonl', measure(readerScript(plain))],
    ['codexReader, .jsonl.zst', measure(readerScript(`${plain}.zst`))],
  ];
  for (const [name, run] of rows) {
    console.log(`${name.padEnd(42)} ${run.seconds.toFixed(2)} s  cpu ${run.cpuSeconds.toFixed(2)} s  ${(plainMb / run.seconds).toFixed(0)} MB/s  x${(run.seconds / floor.seconds).toFixed(2)} floor  peak RSS ${run.maxRssMb.toFixed(0)} MB  ${JSON.stringify(run.result)}`);
  }
  console.log(`load average after: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
