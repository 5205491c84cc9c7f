import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { streamClaudeSession } from '/work/main/packages/extract-claude/src/stream-claude-session.ts';
import { MessageStream } from '/work/main/packages/extract-claude/src/stream-messages.ts';
const root = process.argv[2]!;
const dir = join(root, 'projects', '-bench-single');
const path = join(dir, readdirSync(dir)[0]!);
let maxBacklog = 0; let maxHeld = 0; let sample: any;
const push = MessageStream.prototype.push;
MessageStream.prototype.push = function (line) {
  const out = push.call(this, line);
  const self = this as any;
  const backlog = self.created.length - self.head;
  if (backlog > maxBacklog) { maxBacklog = backlog; sample = self.created[self.head]; }
  maxHeld = Math.max(maxHeld, self.held.length);
  return out;
};
let n = 0;
for await (const event of streamClaudeSession(path)) { n++; if (n % 100000 === 0) { globalThis.gc?.(); console.log(n, (process.memoryUsage().heapUsed/1e6).toFixed(0), (process.memoryUsage().rss/1e6).toFixed(0)); } }
console.log(n, maxBacklog, maxHeld, JSON.stringify(sample).slice(0, 600));
