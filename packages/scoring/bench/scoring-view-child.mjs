// One measurement of scoring-view.bench.ts, run by node in a fresh process (no TypeScript loader,
// no heap left from generating the corpus). Prints one JSON line: seconds, CPU seconds, peak RSS.
// argv: mode, then paths.
//   floor CORPUS                  read + split + JSON.parse every line of every .jsonl file (the raw floor)
//   prepare CORPUS SESSIONS VIEWS read every session with the readers, write whole sessions and their views
//                                 as JSON Lines; times the readers and scoringView apart
//   score SPILL                   read a spill back, split, JSON.parse each line; then link + score each (no outcomes
//                                 read: every session is scanned as in a run, against an empty index)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readClaudeSession } from '@forge/extract-claude';
import { readPiSession } from '@forge/extract-pir';
import { defaultScoringConfig } from '@forge/schema';
import { indexOutcomes, linkSession, scoreSession, scoringView } from '@forge/scoring';

const [mode, ...paths] = process.argv.slice(2);
const files = (folder) =>
  readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
/** Wall and CPU seconds spent in the calls to a function, summed. */
class Clock {
  seconds = 0;
  cpuSeconds = 0;
  run(work) {
    const cpu = process.cpuUsage();
    const at = performance.now();
    const value = work();
    this.seconds += (performance.now() - at) / 1000;
    const used = process.cpuUsage(cpu);
    this.cpuSeconds += (used.user + used.system) / 1e6;
    return value;
  }
  async runAsync(work) {
    const cpu = process.cpuUsage();
    const at = performance.now();
    const value = await work();
    this.seconds += (performance.now() - at) / 1000;
    const used = process.cpuUsage(cpu);
    this.cpuSeconds += (used.user + used.system) / 1e6;
    return value;
  }
  toJSON() {
    return { seconds: this.seconds, cpuSeconds: this.cpuSeconds };
  }
}

/** Each non-empty line of a file, JSON.parse'd. */
function* parsedLines(file) {
  const bytes = readFileSync(file);
  let start = 0;
  for (let newline = bytes.indexOf(10, start); start < bytes.length; newline = bytes.indexOf(10, start)) {
    const end = newline === -1 ? bytes.length : newline;
    if (end > start) yield JSON.parse(bytes.toString('utf8', start, end));
    start = end + 1;
  }
}

const total = new Clock();
const result = { count: 0 };
if (mode === 'floor') {
  total.run(() => {
    for (const file of files(paths[0])) for (const _ of parsedLines(file)) result.count += 1;
  });
} else if (mode === 'prepare') {
  const [corpus, sessionsFile, viewsFile] = paths;
  const read = new Clock();
  const view = new Clock();
  const sessionLines = [];
  const viewLines = [];
  for (const file of files(corpus)) {
    const sessions = await read.runAsync(() => (file.includes('/.claude/') ? readClaudeSession(file) : readPiSession(file)));
    const views = view.run(() => sessions.map(scoringView));
    for (const session of sessions) sessionLines.push(JSON.stringify(session));
    for (const entry of views) viewLines.push(JSON.stringify(entry));
    result.count += sessions.length;
  }
  total.seconds = read.seconds + view.seconds;
  total.cpuSeconds = read.cpuSeconds + view.cpuSeconds;
  writeFileSync(sessionsFile, sessionLines.join('\n') + '\n');
  writeFileSync(viewsFile, viewLines.join('\n') + '\n');
  Object.assign(result, {
    read,
    view,
    sessionBytes: sessionLines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0),
    viewBytes: viewLines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0),
  });
} else if (mode === 'score') {
  const index = indexOutcomes({ outcomesVersion: 1, stores: [], towns: [], repositories: [], places: [], facets: [], warnings: [] });
  // Parsed once, as prepareScoring does.
  const config = defaultScoringConfig();
  const parse = new Clock();
  const score = new Clock();
  const sessions = parse.run(() => [...parsedLines(paths[0])]);
  score.run(() => {
    for (const session of sessions) scoreSession(session, index, { linkage: linkSession(session, index, config), config });
  });
  result.count = sessions.length;
  Object.assign(result, { parse, score, seconds: parse.seconds + score.seconds, cpuSeconds: parse.cpuSeconds + score.cpuSeconds });
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.stdout.write(`${JSON.stringify({ ...total.toJSON(), ...result, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
