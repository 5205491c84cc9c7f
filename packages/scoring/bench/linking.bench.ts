// Benchmark: `pnpm bench` (builds first). Generates 50,000 commits in a real git repository, a
// beads store of 10,000 beads with ~41,000 events, a town log of 30,000 events and 2,000 sessions, then measures,
// each in a fresh node process: reading the outcomes (readOutcomes: bd's files and git log) against
// its floor (read + split + JSON.parse of the beads files, and git log's output read and split),
// and linking + scoring every session (indexOutcomes, linkSession, scoreSession) against its floor
// (read + JSON.parse of the same outcomes and sessions). Deletes the corpus.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOutcomes } from '@forge/extract-outcomes';
import { childScript } from './child-script.js';
import { generateBeads, generateRepository, generateSessions, generateTown } from './generate-corpus.js';

const commits = Number(process.env.BENCH_COMMITS ?? 50_000);
const beads = Number(process.env.BENCH_BEADS ?? 10_000);
const sessions = Number(process.env.BENCH_SESSIONS ?? 2_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);

const root = mkdtempSync(join(tmpdir(), 'forge-scoring-bench-'));
const load = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');
try {
  const repo = join(root, 'repo');
  const beadsDir = join(root, 'repo', '.beads');
  let started = performance.now();
  await generateRepository(repo, commits, beads);
  generateBeads(beadsDir, beads);
  generateTown(join(root, 'town'), beads);
  generateSessions(join(root, 'sessions.jsonl'), sessions, beads, repo);
  const outcomes = await readOutcomes({ cwds: [repo], beadsDirs: [beadsDir], townRoots: [join(root, 'town')], claudeRoots: [], bd: 'never' });
  writeFileSync(join(root, 'outcomes.json'), JSON.stringify(outcomes));
  process.stdout.write(`corpus: ${commits} commits, ${beads} beads, ${outcomes.stores[0]?.events.length ?? 0} bead events, ${outcomes.towns[0]?.events.length ?? 0} town events, ${sessions} sessions (${((performance.now() - started) / 1000).toFixed(1)} s to generate)\n`);

  const script = join(root, 'child.mjs');
  writeFileSync(script, childScript(new URL('../dist/index.js', import.meta.url).href, import.meta.resolve('@forge/extract-outcomes')));
  const measure = (mode: string, paths: string[]): { seconds: number; indexSeconds?: number; cpuSeconds: number; count: number; maxRssMb: number } => {
    const results = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, [script, mode, ...paths], { encoding: 'utf8', maxBuffer: 1 << 26 })) as { seconds: number; indexSeconds?: number; cpuSeconds: number; count: number; maxRssMb: number });
    results.sort((left, right) => left.seconds - right.seconds);
    return results[Math.floor(results.length / 2)]!;
  };
  const rows: string[] = [];
  for (const [name, floorMode, mode, paths] of [
    ['read outcomes (beads files + git log)', 'floor-read', 'read', [beadsDir, repo]],
    ['link + score every session', 'floor-link', 'link', [join(root, 'outcomes.json'), join(root, 'sessions.jsonl')]],
  ] as const) {
    const loadBefore = load();
    started = performance.now();
    const floor = measure(floorMode, [...paths]);
    const result = measure(mode, [...paths]);
    rows.push(
      `| ${name} | ${result.seconds.toFixed(2)} s${result.indexSeconds == null ? '' : ` (index ${result.indexSeconds.toFixed(2)} s)`} (cpu ${result.cpuSeconds.toFixed(2)} s, ${result.maxRssMb} MB) | ${floor.seconds.toFixed(2)} s (cpu ${floor.cpuSeconds.toFixed(2)} s, ${floor.maxRssMb} MB) | ${(result.seconds / floor.seconds).toFixed(2)}x (cpu ${(result.cpuSeconds / floor.cpuSeconds).toFixed(2)}x) | ${result.count} | ${loadBefore} → ${load()} |`,
    );
  }
  process.stdout.write(`\nmedian of ${runs} fresh processes each; Node ${process.version}\n\n| measure | time | floor (read + split + JSON.parse) | ratio (wall, cpu) | items | load avg 1/5/15 min (before → after) |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
