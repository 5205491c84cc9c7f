/**
 * One measurement, a plain JavaScript module run by node in a fresh process (no TypeScript loader,
 * no heap left from generating the corpus). Prints one JSON line: seconds, CPU seconds, peak RSS.
 * argv: mode (floor-link | link | floor-read | read), then paths.
 */
export function childScript(scoringUrl: string, outcomesUrl: string): string {
  return `
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const { indexOutcomes, linkSession, scoreSession } = await import(${JSON.stringify(scoringUrl)});
const { readOutcomes } = await import(${JSON.stringify(outcomesUrl)});
const [mode, ...paths] = process.argv.slice(2);
const parseLines = (file) => readFileSync(file, 'utf8').split('\\n').filter((line) => line !== '').map((line) => JSON.parse(line));
let count = 0;
let indexSeconds;
const cpuBefore = process.cpuUsage();
const started = performance.now();
if (mode === 'floor-link' || mode === 'link') {
  const [outcomesFile, sessionsFile] = paths;
  const outcomes = JSON.parse(readFileSync(outcomesFile, 'utf8'));
  const sessions = parseLines(sessionsFile);
  if (mode === 'floor-link') count = sessions.length + outcomes.repositories[0].commits.length;
  else {
    const indexStarted = performance.now();
    const index = indexOutcomes(outcomes);
    indexSeconds = (performance.now() - indexStarted) / 1000;
    for (const session of sessions) {
      const score = scoreSession(session, index, { linkage: linkSession(session, index) });
      if (score.outcome != null) count += 1;
    }
  }
} else {
  const [beadsDir, repo] = paths;
  if (mode === 'floor-read') {
    count += parseLines(beadsDir + '/issues.jsonl').length + parseLines(beadsDir + '/backup/events.jsonl').length;
    const log = spawnSync('git', ['-C', repo, 'log', '--all', '--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%s%x1f%B%x1e'], { maxBuffer: 1 << 30, encoding: 'utf8' });
    count += log.stdout.split('\\x1e').length - 1;
  } else {
    const outcomes = await readOutcomes({ beadsDirs: [beadsDir], gitDirs: [repo], claudeRoots: [], bd: 'never' });
    count = outcomes.stores[0].beads.length + outcomes.stores[0].events.length + outcomes.repositories[0].commits.length;
  }
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(JSON.stringify({ seconds, indexSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, count, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\\n');
`;
}
