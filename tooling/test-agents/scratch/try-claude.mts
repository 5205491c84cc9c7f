import { startStubModel } from '../src/stub-model/start-stub-model.ts';
import { runClaude } from '../src/run-claude.ts';
import { makeTempProject } from '../src/temp-home.ts';
import { readFileSync } from 'node:fs';
const version = (process.argv[2] ?? 'claude') as any;
const stub = await startStubModel({ script: [
  { thinking: 'Let me look.', text: 'Reading.', toolCalls: [{ name: 'Read', input: { file_path: '/nonexistent/missing.txt' } }, { name: 'Bash', input: { command: 'echo hi; exit 3', description: 'fail' } }], usage: { input: 10, output: 20, cacheRead: 100, cacheWrite: 50 } },
  { text: 'All done.', usage: { input: 12, output: 22, cacheRead: 110, cacheWrite: 60 } },
] });
const cwd = await makeTempProject({ 'a.txt': 'hello' });
const r = await runClaude({ stub, cwd, args: ['Please read things'], version, timeoutMs: 90_000 });
console.log(r.exitCode, r.timedOut, r.durationMs, JSON.stringify(r.stdout), r.stderr.slice(0, 3000));
console.log(stub.requests.map(q => [q.method, q.path, q.query, q.model, q.side, q.maxTokens, q.toolNames.length, q.lastUserText.slice(0, 80), q.systemText.slice(0, 100)]));
console.log(r.sessionFiles);
for (const f of r.sessionFiles) console.log(readFileSync(f, 'utf8').slice(0, 8000));
await stub.close();
