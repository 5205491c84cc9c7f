// Run from packages/transform: npx tsx examples/build-dataset.ts
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSession } from '@forge/schema';
// Inside the repo this file imports the sources; in your project: from '@forge/transform'.
import { createDatasetBuilder, writeDataset } from '../src/index.js';

// A GitHub-token-shaped fake, assembled so no secret-shaped literal sits in the repository.
const fakeToken = ['ghp', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'].join('_');

const session = parseSession({
  schemaVersion: 1,
  id: 'demo-1',
  source: 'pir',
  files: ['/home/alice/.pi/agent/sessions/demo-1.jsonl'],
  cwd: '/home/alice/src/app',
  startedAt: '2026-11-20T10:00:00.000Z',
  endedAt: '2026-11-20T10:01:00.000Z',
  models: ['gpt-5-codex'],
  branch: { leafId: 'e4', isActive: true },
  isSubagent: false,
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  warnings: [],
  messages: [
    { role: 'user', text: `Run the tests. My token is ${fakeToken}`, reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' },
    {
      role: 'assistant',
      text: '',
      reasoning: { state: 'present', text: 'Run npm test.' },
      toolCalls: [{ id: 'c1', name: 'bash', arguments: '{"command":"npm test"}' }],
      provenance: 'conversation',
    },
    {
      role: 'tool',
      text: '',
      reasoning: { state: 'absent' },
      toolCalls: [],
      provenance: 'conversation',
      toolResult: { toolCallId: 'c1', toolName: 'bash', isError: false, text: 'PASS /home/alice/src/app/sum.test.ts' },
    },
    { role: 'assistant', text: 'All tests pass.', reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' },
  ],
});

const builder = await createDatasetBuilder({ redaction: { homeDirectory: '/home/alice', userName: 'alice' }, formats: ['sharegpt', 'openai'] });
console.log(await builder.addSession(session));
const dataset = builder.finish();
console.log(dataset.formats.sharegpt?.train[0]);
console.log(dataset.formats.openai?.train[0]);
console.log(dataset.manifest.redactions, dataset.manifest.counts.rowsByFormat);

// Write it as `forge run` does: each format's rows, the trainers' sidecars and manifest.json.
const folder = await mkdtemp(join(tmpdir(), 'forge-example-'));
const manifest = await writeDataset(folder, dataset, { forgeVersion: '0.1.0', options: { out: '/home/alice/dataset' }, inputs: [], skippedFiles: [], warnings: 0 });
dataset.close();
console.log((await readdir(folder, { recursive: true })).sort(), manifest.options);
await rm(folder, { recursive: true });
