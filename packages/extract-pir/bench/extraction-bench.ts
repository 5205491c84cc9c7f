// Benchmark: `pnpm bench` (builds first). Generates a pi-family corpus in a temp folder and measures,
// each in a fresh node process: the floor (read + split + JSON.parse), a lower bound (the floor plus
// reading the fields the model takes), full extraction on one core, file by file through the
// streaming API, and with 2 worker threads, then the 1 GB file (time and peak RSS). Deletes the corpus.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { floorReadFile } from './floor.js';
import { generateCorpus, loadTemplate } from './generate-corpus.js';
import { childScript } from './child-script.js';

// The built package (`pnpm bench` runs tsup first), run by child processes.
const distIndexUrl = new URL('../dist/index.js', import.meta.url).href;

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

interface Measurement {
  seconds: number;
  cpuSeconds: number;
  sessions: number;
  messages: number;
  maxRssMb: number;
}

/** The child script's floor helpers as plain JavaScript (the child runs without a TypeScript loader). */
function writeFloorModule(folder: string): string {
  const source = readFileSync(fileURLToPath(new URL('./floor.ts', import.meta.url)), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const path = join(folder, 'floor.mjs');
  writeFileSync(path, outputText);
  return pathToFileURL(path).href;
}

/** One run in a fresh process; with `repeats` > 1, the fastest of them (the least disturbed by the rest of the machine). */
function measure(script: string, args: string[], repeats: number, flags: string[] = []): Measurement {
  let best: Measurement | undefined;
  for (let run = 0; run < repeats; run += 1) {
    const output = execFileSync(process.execPath, [...flags, script, ...args], { encoding: 'utf8', maxBuffer: 16 * MB });
    const result = JSON.parse(output) as Measurement;
    if (best == null || result.seconds < best.seconds) best = result;
  }
  return best!;
}

const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const root = mkdtempSync(join(tmpdir(), 'forge-pir-bench-'));
try {
  process.stdout.write(`generating ${manyFilesBytes / MB} MB of ~${fileBytes / MB} MB sessions + one ${bigFileBytes / MB} MB file under ${root}\n`);
  const corpus = generateCorpus(root, templates, { manyFilesBytes, fileBytes, bigFileBytes, bigTemplate });
  const manyFiles = [...listFiles(corpus.manyRoot), ...listFiles(join(root, 'omp'))];
  process.stdout.write(`corpus: ${corpus.files} files, ${(corpus.manyBytes / MB).toFixed(0)} MB; big file ${(corpus.bigBytes / MB).toFixed(0)} MB\n`);
  // Warm the page cache so every measurement reads from memory alike.
  for (const file of [...manyFiles, corpus.bigFile]) floorReadFile(file);
  const script = join(root, 'measure.mjs');
  writeFileSync(script, childScript(distIndexUrl, writeFloorModule(root)));
  const roots = [corpus.manyRoot, corpus.ompRoot];

  process.stdout.write(`each figure: the fastest of ${repeats} runs, each in a fresh node process\n`);
  const rows: Array<{ label: string; bytes: number; floor: Measurement; result: Measurement }> = [];
  const add = (label: string, bytes: number, floor: Measurement, result: Measurement): Measurement => {
    rows.push({ label, bytes, floor, result });
    return result;
  };
  const floorMany = measure(script, ['floor', '0', ...manyFiles], repeats);
  add('floor: read + split + JSON.parse (many files)', corpus.manyBytes, floorMany, floorMany);
  add('bound: floor + reading the fields the model takes, nothing built (many files)', corpus.manyBytes, floorMany, measure(script, ['bound', '0', ...manyFiles], repeats));
  const single = add('extractPiSessions, 1 core (many files)', corpus.manyBytes, floorMany, measure(script, ['extract', '0', ...roots], repeats));
  const streamed = add('streamPiSession file by file, 1 core (many files)', corpus.manyBytes, floorMany, measure(script, ['stream', '0', ...manyFiles], repeats));
  const pooled = add('extractPiSessions, 2 workers (many files)', corpus.manyBytes, floorMany, measure(script, ['extract', '2', ...roots], repeats));
  const floorBig = measure(script, ['floor', '0', corpus.bigFile], repeats);
  add('floor: read + split + JSON.parse (1 GB file)', corpus.bigBytes, floorBig, floorBig);
  const big = add('streamPiSession, 1 core (1 GB file)', corpus.bigBytes, floorBig, measure(script, ['stream', '0', corpus.bigFile], repeats));

  process.stdout.write('\n| run | wall s | MB/s | wall × floor | CPU s (all threads) | CPU × floor | peak RSS MB |\n|---|---|---|---|---|---|---|\n');
  for (const { label, bytes, floor, result } of rows) {
    process.stdout.write(
      `| ${label} | ${result.seconds.toFixed(2)} | ${(bytes / MB / result.seconds).toFixed(0)} | ${(result.seconds / floor.seconds).toFixed(2)} | ${result.cpuSeconds.toFixed(2)} | ${(result.cpuSeconds / floor.cpuSeconds).toFixed(2)} | ${result.maxRssMb} |\n`,
    );
  }
  const counts = (result: Measurement): string => `${result.sessions} sessions / ${result.messages} messages`;
  process.stdout.write(`\n1 core ${counts(single)}; streamed ${counts(streamed)}; 2 workers ${counts(pooled)}; 1 GB file ${counts(big)}\n`);

  // 'read' (readPiSession, the whole Session in memory) only with BENCH_RSS_READ=1: it needs GBs for 1 GB.
  const capped = measure(script, ['stream', '0', corpus.bigFile], 1, ['--max-old-space-size=96']);
  process.stdout.write(`streamPiSession on the 1 GB file with a 96 MB old-space cap: ${capped.seconds.toFixed(2)} s, peak RSS ${capped.maxRssMb} MB\n`);
  if (process.env.BENCH_RSS_READ === '1') {
    const whole = measure(script, ['read', '0', corpus.bigFile], 1);
    process.stdout.write(`readPiSession (whole Session in memory) on the 1 GB file: ${whole.seconds.toFixed(2)} s, peak RSS ${whole.maxRssMb} MB\n`);
  }
  process.stdout.write(`\nload average during the run: ${loadavg().map((value) => value.toFixed(1)).join(' ')} (${cpus().length} cores)\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
  process.stdout.write(`deleted ${root}\n`);
}
