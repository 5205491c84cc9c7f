import { parsePiSessionFile } from '../src/parse-session-file.ts';
import { buildSessions } from '../src/build-session.ts';
import { readJsonLines } from '@forge/reader-kit';
import { floorReadFile } from './floor.ts';
import { loadTemplate, writeExpandedSession } from './generate-corpus.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const t = loadTemplate('/work/shared/fixtures/real/pi/.pi/agent/sessions/--home-ubuntu-gt-myrig-polecats-nux--/2026-11-24T04-07-47-845Z_01a20bbd-0984-77ca-9e17-aa1ee6080a55.jsonl', 'pi');
const file = join(dir, 'a.jsonl');
writeExpandedSession(t, file, 2 * 1024 * 1024);
const N = 100;
const time = async (label: string, fn: () => Promise<unknown> | unknown) => { const s = performance.now(); for (let i = 0; i < N; i++) await fn(); console.log(label, ((performance.now() - s) / 1000).toFixed(2)); };
for (let k = 0; k < 2; k++) {
await time('floor', () => floorReadFile(file));
await time('readJsonLines', async () => { for await (const _ of readJsonLines(file)) {} });
await time('parse', async () => { await parsePiSessionFile(file); });
await time('parse+build', async () => { buildSessions((await parsePiSessionFile(file))!, { branches: 'active' }); });
}
rmSync(dir, { recursive: true });
