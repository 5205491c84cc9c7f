import { startStubModel } from '../src/stub-model/start-stub-model.ts';
import { runClaude } from '../src/run-claude.ts';
import { scenarios } from '../src/scenarios.ts';
import { makeTempProject } from '../src/temp-home.ts';
import { readFileSync } from 'node:fs';
const version = (process.argv[2] ?? 'claude') as any;
const sc = scenarios.subagent(version);
const stub = await startStubModel({ script: sc.script });
const cwd = await makeTempProject();
const r = await runClaude({ stub, cwd, args: [sc.prompts[0]], version });
console.log(r.exitCode, r.durationMs, JSON.stringify(r.stdout), r.stderr.slice(0, 1000));
console.log(stub.served.map(s => [s.side, s.scriptIndex, s.fallback, s.model, s.turn.text, stub.requests[s.requestIndex].lastUserText.slice(-150)]));
console.log(r.sessionFiles);
const f = r.sessionFiles[0];
for (const l of readFileSync(f, 'utf8').split('\n').filter(Boolean)) { const d = JSON.parse(l); if (d.type === 'user' || d.type === 'assistant') console.log(d.type, d.isSidechain, JSON.stringify(d.message.content).slice(0, 300)); }
await stub.close();
