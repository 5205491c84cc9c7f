// The raw floor of `forge run`'s input, run in a fresh process by run-bench.ts: read every .jsonl
// file under the folder given, split it on \n and JSON.parse every line, on one thread. Nothing is kept.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let lines = 0;
for (const entry of readdirSync(process.argv[2], { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
  const bytes = readFileSync(join(entry.parentPath, entry.name));
  let start = 0;
  for (let newline = bytes.indexOf(10, start); start < bytes.length; newline = bytes.indexOf(10, start)) {
    const end = newline === -1 ? bytes.length : newline;
    if (end > start) {
      try {
        JSON.parse(bytes.toString('utf8', start, end));
        lines += 1;
      } catch {
        // A damaged line (a fixture's, or a file cut mid-write) costs its parse attempt, like any line.
      }
    }
    start = end + 1;
  }
}
process.stdout.write(`${lines}\n`);
