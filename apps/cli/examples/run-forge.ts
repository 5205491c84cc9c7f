// Run from apps/cli: npx tsx --conditions=@forge/source examples/run-forge.ts
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Inside the repo this file imports the sources; in your project: from '@forge/cli'.
import { runForge, type RunForgeOptions } from '../src/index.js';

const folder = await mkdtemp(join(tmpdir(), 'forge-example-'));
const options: RunForgeOptions = {
  demo: true, // the built-in corpus; leave it out to read this machine's ~/.claude, ~/.pi and ~/.omp
  out: join(folder, 'dataset'),
  cacheDir: join(folder, 'cache'),
  formats: ['sharegpt', 'messages'],
  maxTokens: 16_384,
  onProgress: (event) => {
    if (event.kind === 'read') console.log(`read ${event.filesRead} of ${event.files} files: ${event.sessions} sessions`);
  },
};

const first = await runForge(options);
const { counts, tokens, skipped, warnings } = first.manifest;
console.log({ sessions: counts.sessions, bySource: counts.sessionsBySource, rows: counts.rowsByFormat, tokens: tokens.total, skipped: skipped.length, warnings });
console.log((await readdir(first.out, { recursive: true })).sort());

// Nothing changed: nothing is read or written again.
const again = await runForge(options);
console.log({ upToDate: again.upToDate, sameManifest: JSON.stringify(again.manifest) === JSON.stringify(first.manifest) });
await rm(folder, { recursive: true });
