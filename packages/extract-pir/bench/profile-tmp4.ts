import { readJsonLines, readLines } from '@forge/reader-kit';
import { parsePiSessionFile } from '../src/parse-session-file.ts';
import { mapPiMessage } from '../src/map-message.ts';
import { WarningLog } from '../src/warning-log.ts';
import { buildSessions } from '../src/build-session.ts';
import { floorReadFile } from './floor.ts';
import { loadTemplate, writeExpandedSession } from './generate-corpus.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const files = ['/work/shared/fixtures/real/pi/.pi/agent/sessions/--home-ubuntu-gt-myrig-polecats-nux--/2026-11-24T04-07-47-845Z_01a20bbd-0984-77ca-9e17-aa1ee6080a55.jsonl', '/work/shared/fixtures/real/omp/.omp/agent/sessions/-gt-myrig-polecats-nux/2026-11-24T04-08-54-777Z_01a20bbe-0ef9-7000-9410-d43ec9e78c9e.jsonl','/work/shared/fixtures/pi/sessions/--home-ubuntu-gt-deacon--/2026-08-10T14-02-41.077Z_e2d94f70.jsonl'].map((p, i) => { const f = join(dir, `${i}.jsonl`); writeExpandedSession(loadTemplate(p, i === 1 ? 'omp' : 'pi'), f, 2 * 1024 * 1024); return f; });
const N = Number(process.argv[2] ?? 30);
const cpu = async (label: string, fn: (f: string) => Promise<unknown> | unknown) => { const s = process.cpuUsage(); const w = performance.now(); for (let i = 0; i < N; i++) for (const f of files) await fn(f); const u = process.cpuUsage(s); console.log(label.padEnd(28), 'cpu', ((u.user + u.system) / 1e6).toFixed(2), 'wall', ((performance.now() - w) / 1000).toFixed(2)); };
const w = new WarningLog('x');
for (let k = 0; k < 2; k++) {
  //await cpu('floor', (f) => floorReadFile(f));
  //await cpu('readLines+parse', async (f) => { for await (const l of readLines(f)) JSON.parse(l.text); });
  //await cpu('readJsonLines', async (f) => { for await (const _ of readJsonLines(f)) {} });
  //await cpu('readJsonLines+map (drop)', async (f) => { for await (const r of readJsonLines(f)) { const v = (r as any).value; if (v?.type === 'message') mapPiMessage(v.message, { entryId: v.id, line: 1, timestamp: v.timestamp }, w); } });
  //await cpu('parse (retain)', async (f) => { await parsePiSessionFile(f); });
  await cpu('parse+build', async (f) => { buildSessions((await parsePiSessionFile(f))!, { branches: 'active' }); });
}
rmSync(dir, { recursive: true });
