// Run from packages/transform: npx tsx examples/build-dataset.ts
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Inside the repo this file imports the sources; in your project: from '@forge/transform'.
import { createDatasetBuilder, writeDataset } from '../src/index.js';
import { session } from './example-session.js';

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
