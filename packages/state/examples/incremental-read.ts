// Run from packages/state: npx tsx --conditions=@forge/source examples/incremental-read.ts
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claudeCodeSource } from '@forge/extract-claude';
import { piFamilySource } from '@forge/extract-pir';
// Inside the repo this file imports the sources; in your project: from '@forge/state'.
import { collectSessions, StateStore } from '../src/index.js';

// forge's demo corpus: a home folder with Claude Code, pi, pir and omp sessions.
const home = fileURLToPath(new URL('../../../apps/cli/demo/home', import.meta.url));
const selection = { readers: [claudeCodeSource, piFamilySource], homeDirectory: home, env: {} };
const folder = await mkdtemp(join(tmpdir(), 'forge-state-example-'));

const store = await StateStore.open(join(folder, 'state.sqlite'), { cacheVersion: 'example-1' });
const first = await collectSessions({ selection, store });
console.log(`first read: ${first.sessionCount} sessions from ${first.filesRead} of ${first.inputs.length} files; skipped ${first.skippedFiles.length}`);
const again = await collectSessions({ selection, store });
console.log(`again: ${again.sessionCount} sessions, ${again.filesRead} files opened, all from the cache: ${again.inputs.every((input) => input.cached)}`);
console.log(JSON.stringify(again.sessions) === JSON.stringify(first.sessions) ? 'the same sessions, byte for byte' : 'different sessions');
store.close();
await rm(folder, { recursive: true });
