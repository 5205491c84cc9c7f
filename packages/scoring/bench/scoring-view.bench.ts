// Benchmark: `pnpm bench` (builds first). How small a session's scoring view is and what it costs,
// on a corpus of the real-format demo sessions (Claude Code, pi, omp) replicated with fresh ids
// (apps/cli/bench/generate-corpus.ts; BENCH_CORPUS_MB, default 200). Each figure in a fresh node
// process, median of BENCH_RUNS (default 3), next to the raw floor of the same corpus measured in
// the same run (read + split + JSON.parse of every line) and the load average:
// - view JSON bytes ÷ session JSON bytes (what a run spills per session instead of re-reading it);
// - building the views (scoringView over every session read) against reading the sessions;
// - re-reading a spill line by line and linking + scoring every entry: whole sessions vs views.
// Deletes the corpus.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoHome } from '@forge-internal/test-agents';
import { generateCorpus } from '../../../apps/cli/bench/generate-corpus.js';

const corpusMb = Number(process.env.BENCH_CORPUS_MB ?? 200);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const child = new URL('scoring-view-child.mjs', import.meta.url).pathname;

interface Time {
  seconds: number;
  cpuSeconds: number;
}

interface Measure extends Time {
  maxRssMb: number;
  count: number;
  read?: Time;
  view?: Time;
  parse?: Time;
  score?: Time;
  sessionBytes?: number;
  viewBytes?: number;
}

const load = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const root = mkdtempSync(join(tmpdir(), 'forge-scoring-view-bench-'));
try {
  const corpus = join(root, 'home');
  const started = performance.now();
  const generated = generateCorpus({ templateHome: demoHome, home: corpus, targetBytes: corpusMb * 1024 * 1024 });
  process.stdout.write(`corpus: ${generated.files} files, ${mb(generated.bytes)} (${((performance.now() - started) / 1000).toFixed(1)} s to generate); Node ${process.version}; median of ${runs} fresh processes each\n\n`);
  const measure = (mode: string, paths: string[], times = runs): { result: Measure; load: string } => {
    const before = load();
    const results = Array.from({ length: times }, () => JSON.parse(execFileSync(process.execPath, [child, mode, ...paths], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Measure);
    results.sort((left, right) => left.seconds - right.seconds);
    return { result: results[Math.floor(results.length / 2)]!, load: `${before} → ${load()}` };
  };
  const sessionsFile = join(root, 'sessions.jsonl');
  const viewsFile = join(root, 'views.jsonl');
  const floor = measure('floor', [corpus]);
  const prepared = measure('prepare', [corpus, sessionsFile, viewsFile]);
  const scoredSessions = measure('score', [sessionsFile]);
  const scoredViews = measure('score', [viewsFile]);
  const time = ({ seconds, cpuSeconds }: Time): string => `${seconds.toFixed(2)} s (cpu ${cpuSeconds.toFixed(2)} s)`;
  const ratio = ({ seconds, cpuSeconds }: Time): string => `${(seconds / floor.result.seconds).toFixed(3)}x (cpu ${(cpuSeconds / floor.result.cpuSeconds).toFixed(3)}x)`;
  const { sessionBytes = 0, viewBytes = 0, read, view } = prepared.result;
  const spill = (name: string, { result, load: loads }: { result: Measure; load: string }): string[] => [
    `| spill of ${name} (${mb(name === 'views' ? viewBytes : sessionBytes)}): read back + split + JSON.parse | ${time(result.parse!)} | ${ratio(result.parse!)} | ${loads} |`,
    `| … then link + score each (${result.maxRssMb} MB peak) | ${time(result.score!)} | ${ratio(result.score!)} | |`,
  ];
  const rows = [
    `| raw floor: read + split + JSON.parse of the corpus (${floor.result.count} lines) | ${time(floor.result)} | 1x | ${floor.load} |`,
    `| read every session (readClaudeSession, readPiSession; ${prepared.result.count} sessions) | ${time(read!)} | ${ratio(read!)} | ${prepared.load} |`,
    `| build every scoring view (scoringView) | ${time(view!)} | ${ratio(view!)} | ${prepared.load} |`,
    ...spill('whole sessions', scoredSessions),
    ...spill('views', scoredViews),
  ];
  process.stdout.write(`session JSON ${mb(sessionBytes)}, view JSON ${mb(viewBytes)}: views are ${((viewBytes / sessionBytes) * 100).toFixed(2)}% of the session bytes (${((viewBytes / generated.bytes) * 100).toFixed(2)}% of the files)\n\n`);
  process.stdout.write(`| measure | time | ÷ raw floor | load avg 1/5/15 min (before → after) |\n|---|---|---|---|\n${rows.join('\n')}\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
