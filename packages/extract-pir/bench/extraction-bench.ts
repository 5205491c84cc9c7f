// Benchmark: `pnpm bench` (builds first). Generates a pi-family corpus in a temp folder, measures
// the floor (read + split + JSON.parse), full extraction on one core and with 2 worker threads,
// and the peak RSS of reading one 1 GB file in a child process. Deletes the corpus at the end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { floorReadFile } from './floor.js';
import { generateCorpus, loadTemplate } from './generate-corpus.js';
import { rssChildScript } from './rss-child.js';
import type * as ExtractPir from '../src/index.js';

// The built package (`pnpm bench` runs tsup first), typed by its sources.
const distIndexUrl = new URL('../dist/index.js', import.meta.url).href;
const { extractPiSessions, streamPiSession } = (await import(distIndexUrl)) as typeof ExtractPir;

const MB = 1024 * 1024;
const here = fileURLToPath(new URL('.', import.meta.url));
const fixtures = resolve(here, '../../../../shared/fixtures');
const manyFilesBytes = Number(process.env.BENCH_MANY_MB ?? 1024) * MB;
const bigFileBytes = Number(process.env.BENCH_BIG_MB ?? 1024) * MB;
const fileBytes = Number(process.env.BENCH_FILE_MB ?? 2) * MB;

const realPi = join(fixtures, 'real/pi/.pi/agent/sessions/--home-ubuntu-gt-myrig-polecats-nux--');
const realOmp = join(fixtures, 'real/omp/.omp/agent/sessions/-gt-myrig-polecats-nux');
const piFixtures = join(fixtures, 'pi/sessions');
const templates = [
  ...readdirSync(realPi).map((name) => loadTemplate(join(realPi, name), 'pi')),
  ...readdirSync(realOmp).map((name) => loadTemplate(join(realOmp, name), 'omp')),
  loadTemplate(join(piFixtures, '--home-ubuntu-gt-deacon--/2026-08-10T14-02-41.077Z_e2d94f70.jsonl'), 'pir'),
  loadTemplate(join(piFixtures, '--home-ubuntu-gt-myrig-polecats-nux--/2026-08-11T16-40-19.905Z_4b8f21c7.jsonl'), 'pir'),
  loadTemplate(join(piFixtures, '--home-ubuntu-gt-mayor--/2026-08-09T19-22-08.630Z_51f3c8e0.jsonl'), 'pir'),
];
const bigTemplate = templates[1]!;

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => join(entry.parentPath, entry.name));
}

interface Row<T> {
  label: string;
  seconds: number;
  cpuSeconds: number;
  mbPerSecond: number;
  result: T;
}

/** Wall time and process CPU time (all threads) of one run. */
async function time<T>(label: string, bytes: number, run: () => Promise<T> | T): Promise<Row<T>> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { label, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, mbPerSecond: bytes / MB / seconds, result };
}

async function streamFile(file: string): Promise<{ sessions: number; messages: number }> {
  let messages = 0;
  let sessions = 0;
  for await (const item of streamPiSession(file)) {
    if (item.kind === 'message') messages += 1;
    else sessions += 1;
  }
  return { sessions, messages };
}

async function extractAll(roots: string[], workers: number): Promise<{ sessions: number; messages: number }> {
  let sessions = 0;
  let messages = 0;
  for await (const session of extractPiSessions({ roots, workers, useIndex: false })) {
    sessions += 1;
    messages += session.messages.length;
  }
  return { sessions, messages };
}

const root = mkdtempSync(join(tmpdir(), 'forge-pir-bench-'));
try {
  process.stdout.write(`generating ${manyFilesBytes / MB} MB of ~${fileBytes / MB} MB sessions + one ${bigFileBytes / MB} MB file under ${root}\n`);
  const corpus = generateCorpus(root, templates, { manyFilesBytes, fileBytes, bigFileBytes, bigTemplate });
  const manyFiles = [...listFiles(corpus.manyRoot), ...listFiles(join(root, 'omp'))];
  process.stdout.write(`corpus: ${corpus.files} files, ${(corpus.manyBytes / MB).toFixed(0)} MB; big file ${(corpus.bigBytes / MB).toFixed(0)} MB\n`);
  // Warm the page cache so every measurement reads from memory alike.
  for (const file of [...manyFiles, corpus.bigFile]) floorReadFile(file);

  const roots = [corpus.manyRoot, corpus.ompRoot];
  const rows = [];
  const floorMany = await time('floor: read + split + JSON.parse (many files)', corpus.manyBytes, () => manyFiles.forEach((file) => floorReadFile(file)));
  const singleMany = await time('extractPiSessions, 1 core (many files)', corpus.manyBytes, () => extractAll(roots, 0));
  const pooledMany = await time('extractPiSessions, 2 workers (many files)', corpus.manyBytes, () => extractAll(roots, 2));
  rows.push(floorMany, singleMany, pooledMany);
  const floorBig = await time('floor: read + split + JSON.parse (1 GB file)', corpus.bigBytes, () => floorReadFile(corpus.bigFile));
  const singleBig = await time('streamPiSession, 1 core (1 GB file)', corpus.bigBytes, () => streamFile(corpus.bigFile));
  rows.push(floorBig, singleBig);

  process.stdout.write('\n| run | wall s | MB/s | wall × floor | CPU s (all threads) | CPU × floor |\n|---|---|---|---|---|---|\n');
  for (const row of rows) {
    const floor = row.label.includes('1 GB') ? floorBig : floorMany;
    process.stdout.write(
      `| ${row.label} | ${row.seconds.toFixed(2)} | ${row.mbPerSecond.toFixed(0)} | ${(row.seconds / floor.seconds).toFixed(2)} | ${row.cpuSeconds.toFixed(2)} | ${(row.cpuSeconds / floor.cpuSeconds).toFixed(2)} |\n`,
    );
  }
  process.stdout.write(`\nsessions/messages: 1 core ${JSON.stringify(singleMany.result)}, 2 workers ${JSON.stringify(pooledMany.result)}, 1 GB file ${JSON.stringify(singleBig.result)}\n`);

  process.stdout.write('\npeak RSS, one plain-node process per read of the 1 GB file (default flags, then a 96 MB old-space cap):\n');
  // 'read' (readPiSession, the whole Session in memory) only with BENCH_RSS_READ=1: it needs GBs for 1 GB.
  const modes = process.env.BENCH_RSS_READ === '1' ? ['floor', 'stream', 'read'] : ['floor', 'stream'];
  const script = rssChildScript(distIndexUrl);
  for (const flags of [[], ['--max-old-space-size=96']]) {
    for (const mode of modes) {
      const output = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script, mode, corpus.bigFile], { encoding: 'utf8', maxBuffer: 16 * MB });
      process.stdout.write(`${flags.join(' ') || '(default)'} ${output}`);
    }
  }
  process.stdout.write(`\nload average during the run: ${loadavg().map((value) => value.toFixed(1)).join(' ')} (${cpus().length} cores)\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
  process.stdout.write(`deleted ${root}\n`);
}
