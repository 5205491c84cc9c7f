import { startStubModel } from '../src/stub-model/start-stub-model.ts';
import { runOmp } from '../src/run-omp.ts';
import { makeTempProject } from '../src/temp-home.ts';
import { readFileSync } from 'node:fs';
const api = (process.argv[2] ?? 'anthropic-messages') as any;
const stub = await startStubModel({ script: [
  { thinking: 'Let me look.', text: 'Reading.', toolCalls: [{ name: 'read', input: { path: 'missing.txt' } }, { name: 'bash', input: { command: 'echo hi; exit 3' } }], usage: { input: 10, output: 20, cacheRead: 100, cacheWrite: 50 } },
  { text: 'All done.', usage: { input: 12, output: 22, cacheRead: 110, cacheWrite: 60 } },
] });
const cwd = await makeTempProject({ 'a.txt': 'hello' });
const r = await runOmp({ stub, cwd, args: ['Please read things'], api });
console.log(r.exitCode, r.durationMs, JSON.stringify(r.stdout), r.stderr.slice(0, 2000));
console.log(stub.requests.map(q => [q.method, q.path, q.model, q.side, q.toolNames.join(',')]));
console.log(r.sessionFiles);
for (const f of r.sessionFiles) console.log(readFileSync(f, 'utf8').slice(0, 6000));
await stub.close();
