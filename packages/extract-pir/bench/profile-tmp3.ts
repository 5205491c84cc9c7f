import { parsePiSessionFile } from '../src/parse-session-file.ts';
import { buildSessions } from '../src/build-session.ts';
import { floorReadFile } from './floor.ts';
import { loadTemplate, writeExpandedSession } from './generate-corpus.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const files = ['/work/shared/fixtures/real/pi/.pi/agent/sessions/--home-ubuntu-gt-myrig-polecats-nux--/2026-11-24T04-07-47-845Z_01a20bbd-0984-77ca-9e17-aa1ee6080a55.jsonl', '/work/shared/fixtures/real/omp/.omp/agent/sessions/-gt-myrig-polecats-nux/2026-11-24T04-08-54-777Z_01a20bbe-0ef9-7000-9410-d43ec9e78c9e.jsonl','/work/shared/fixtures/pi/sessions/--home-ubuntu-gt-deacon--/2026-08-10T14-02-41.077Z_e2d94f70.jsonl'].map((p, i) => { const f = join(dir, `${i}.jsonl`); writeExpandedSession(loadTemplate(p, i === 1 ? 'omp' : 'pi'), f, 2 * 1024 * 1024); return f; });
const N = Number(process.argv[2] ?? 30);
const mode = process.argv[3] ?? 'all';
const cpu = async (label: string, fn: (f: string) => Promise<unknown> | unknown) => { const s = process.cpuUsage(); const w = performance.now(); for (let i = 0; i < N; i++) for (const f of files) await fn(f); const u = process.cpuUsage(s); console.log(label, 'cpu', ((u.user + u.system) / 1e6).toFixed(2), 'wall', ((performance.now() - w) / 1000).toFixed(2)); };
for (let k = 0; k < 2; k++) {
  if (mode === 'all' || mode === 'floor') await cpu('floor', (f) => floorReadFile(f));
  if (mode === 'all' || mode === 'parse') await cpu('parse+build', async (f) => { buildSessions((await parsePiSessionFile(f))!, { branches: 'active' }); });
}
rmSync(dir, { recursive: true });
