/**
 * The script of the peak-RSS child process, as plain JavaScript run by `node --input-type=module`:
 * no TypeScript loader in that process, so its RSS is the reader's, not tsx's (~60 MB more).
 */
export function rssChildScript(distIndexUrl: string): string {
  return `
import { closeSync, openSync, readSync } from 'node:fs';
const { readPiSession, streamPiSession } = await import(${JSON.stringify(distIndexUrl)});
const [mode, file] = process.argv.slice(1);
// The floor, as in bench/floor.ts: 1 MiB reads, split on newlines, JSON.parse, nothing kept.
function floor(path) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let carry;
  for (;;) {
    const read = readSync(fd, buffer, 0, buffer.length, null);
    if (read === 0) break;
    let chunk = buffer.subarray(0, read);
    if (carry != null) { chunk = Buffer.concat([carry, chunk]); carry = undefined; }
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) break;
      if (newline > start) JSON.parse(chunk.toString('utf8', start, newline));
      start = newline + 1;
    }
    if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
  }
  closeSync(fd);
}
const started = performance.now();
let messages = 0;
if (mode === 'floor') floor(file);
else if (mode === 'stream') { for await (const item of streamPiSession(file)) if (item.kind === 'message') messages += 1; }
else { for (const session of await readPiSession(file)) messages += session.messages.length; }
const seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify({ mode, seconds, messages, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\\n');
`;
}
