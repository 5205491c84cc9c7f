// Redaction MB/s next to the raw floor (read + split + JSON.parse of the same Session JSON Lines),
// both measured in this process. Run each figure in a fresh process:
//   pnpm --filter @forge/transform bench:redaction [megabytes=100] [secretlint|built-in] [redactor-module]
// `redactor-module` (a path relative to the working folder, default ../src/index.js) lets a
// checked-out older copy of src/redact be measured in the same session for a before/after figure.
// FORGE_BENCH_SESSIONS=<file> reads real sessions instead (`forge extract --out <file>` of a home)
// and leaves `megabytes` unused.
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type Session } from '@forge/schema';
import { generateSession } from './generate-sessions.js';

const totalMegabytes = Number(process.argv[2] ?? 100);
const mode = process.argv[3] ?? 'secretlint';
const redactorModule = process.argv[4] == null ? new URL('../src/index.js', import.meta.url).href : pathToFileURL(resolve(process.argv[4])).href;
const sessionBytes = 400_000;
const sessionsFile = process.env.FORGE_BENCH_SESSIONS;

interface Redactor {
  redactSession(session: Session): Promise<unknown>;
}
const { createRedactor } = (await import(redactorModule)) as { createRedactor: (options: object) => Redactor };

// The input as `forge extract` writes it: one Session per line, on disk.
const folder = mkdtempSync(join(tmpdir(), 'forge-redaction-bench-'));
const file = sessionsFile ?? join(folder, 'sessions.jsonl');
if (sessionsFile == null) {
  const lines: string[] = [];
  const sessionCount = Math.ceil((totalMegabytes * 1_000_000) / sessionBytes);
  for (let index = 0; index < sessionCount; index += 1) lines.push(JSON.stringify(generateSession(index, sessionBytes)));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

function clock<T>(work: () => T): { result: T; wall: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = work();
  const used = process.cpuUsage(cpuStart);
  return { result, wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

const floor = clock(() => {
  const text = readFileSync(file, 'utf8');
  const sessions = text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Session);
  return { sessions, bytes: Buffer.byteLength(text) };
});
rmSync(folder, { recursive: true, force: true });
const { sessions, bytes } = floor.result;

const redactor = createRedactor({ homeDirectory: '/home/bench', userName: 'bench', secretlint: mode !== 'built-in' });
let wall = 0;
let cpu = 0;
for (const session of sessions) {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await redactor.redactSession(session);
  const used = process.cpuUsage(cpuStart);
  wall += performance.now() - start;
  cpu += (used.user + used.system) / 1000;
}

const megabytes = bytes / 1_000_000;
const rate = (milliseconds: number) => (megabytes / (milliseconds / 1000)).toFixed(1);
console.log(
  [
    `redaction (${mode}) ${megabytes.toFixed(1)} MB, ${sessions.length} sessions${sessionsFile == null ? '' : ` from ${sessionsFile}`}, Node ${process.version}, ${cpus().length} cores, load ${loadavg().map((load) => load.toFixed(2)).join(' ')}`,
    `  redactor: ${redactorModule}`,
    `  raw floor (read + split + JSON.parse)  wall ${rate(floor.wall)} MB/s  cpu ${rate(floor.cpu)} MB/s`,
    `  redaction                              wall ${rate(wall)} MB/s  cpu ${rate(cpu)} MB/s`,
    `  redaction / floor time                 wall ${(wall / floor.wall).toFixed(1)}x  cpu ${(cpu / floor.cpu).toFixed(1)}x`,
  ].join('\n'),
);
