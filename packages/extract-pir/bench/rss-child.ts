// Run in its own process so the peak RSS belongs to one read alone: `tsx bench/rss-child.ts <mode> <file>`.
import { floorReadFile } from './floor.js';
import { readPiSession } from '../dist/index.js';

const [mode, file] = process.argv.slice(2);
if (file == null) throw new Error('usage: rss-child.ts floor|read <file>');
const started = performance.now();
let messages = 0;
if (mode === 'floor') floorReadFile(file);
else {
  const sessions = await readPiSession(file);
  messages = sessions.reduce((total, session) => total + session.messages.length, 0);
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ mode, seconds, messages, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
