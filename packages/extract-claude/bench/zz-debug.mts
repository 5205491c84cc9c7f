import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readClaudeFile } from '/work/main/packages/extract-claude/src/read-claude-file.ts';
const root = process.argv[2]!;
const dir = join(root, 'projects', '-bench-single');
const path = join(dir, readdirSync(dir)[0]!);
const t = performance.now();
const contents = await readClaudeFile(path, { light: true });
globalThis.gc?.();
console.log('pass1', ((performance.now() - t) / 1000).toFixed(1), 's lines', contents.lines.length, 'heap', (process.memoryUsage().heapUsed / 1e6).toFixed(0), 'rss', (process.memoryUsage().rss / 1e6).toFixed(0), 'maxrss', process.resourceUsage().maxRSS / 1e3);
const sample = contents.lines.slice(0, 3);
console.log(JSON.stringify(sample).slice(0, 1500));
const byType = new Map<string, number>();
let tu = 0, rc = 0, txt = 0, mid = new Set();
for (const line of contents.lines) { byType.set(line.type, (byType.get(line.type) ?? 0) + 1); tu += line.index?.toolUses?.length ?? 0; rc += line.index?.resultCallIds?.length ?? 0; if (line.index?.hasText) txt++; }
console.log([...byType], tu, rc, txt, contents.byUuid.size);
