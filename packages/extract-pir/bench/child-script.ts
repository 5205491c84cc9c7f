/**
 * The script of one measurement, a plain JavaScript module run by node in a fresh
 * process: no TypeScript loader, no heap left over from generating the corpus or from the other
 * runs, so each figure (time, CPU, peak RSS) is the reader's own. It prints one JSON line.
 * argv: mode (floor | bound | extract | stream | read), workers, then the files or roots.
 */
export function childScript(distIndexUrl: string, floorModuleUrl: string): string {
  return `
const { extractPiSessions, readPiSession, streamPiSession } = await import(${JSON.stringify(distIndexUrl)});
const { fieldReadBound, floorReadFile } = await import(${JSON.stringify(floorModuleUrl)});
const [mode, workers, ...paths] = process.argv.slice(2);
let sessions = 0;
let messages = 0;
// Printed, so the field reads of the bound cannot be optimized away.
let fieldWeight = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
if (mode === 'floor') for (const file of paths) floorReadFile(file);
else if (mode === 'bound') for (const file of paths) fieldWeight += fieldReadBound(file).weight;
else if (mode === 'extract') {
  for await (const session of extractPiSessions({ roots: paths, workers: Number(workers), useIndex: false })) {
    sessions += 1;
    messages += session.messages.length;
  }
} else if (mode === 'stream') {
  for (const file of paths) {
    for await (const item of streamPiSession(file)) {
      if (item.kind === 'message') messages += 1;
      else if (item.kind === 'session') sessions += 1;
    }
  }
} else {
  for (const file of paths) for (const session of await readPiSession(file)) { sessions += 1; messages += session.messages.length; }
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, sessions, messages, fieldWeight, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\\n');
`;
}
