import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectFlavor } from './pi-header.js';
import { readHeaderLine } from './read-header-line.js';
import { makeTempFolder } from './test-support/temp-folder.js';

let folder: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  folder = await makeTempFolder('header');
});
afterEach(async () => {
  await folder.remove();
});

const header = (extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'session', version: 3, id: 'session-1', timestamp: '2026-11-24T04:07:47.845Z', cwd: '/home/user/project', ...extra });
// pir's first entry has no parentId: only a whole first entry tells pir from TS pi.
const pirEntry = (textBytes: number) => JSON.stringify({ type: 'message', id: 'e1', timestamp: '2026-11-24T04:07:48.000Z', message: { role: 'user', content: 'x'.repeat(textBytes) } });

async function headerOf(lines: string[]) {
  const path = join(folder.path, 'session.jsonl');
  await writeFile(path, `${lines.join('\n')}\n`);
  const found = await readHeaderLine(path);
  return found == null ? undefined : { id: found.id, cwd: found.cwd, titleSlot: found.titleSlot, flavor: detectFlavor(found.header, found.firstEntry, false) };
}

describe('readHeaderLine', () => {
  it('should read the header and the first entry of a small file', async () => {
    expect(await headerOf([header(), pirEntry(10)])).toEqual({ id: 'session-1', cwd: '/home/user/project', titleSlot: false, flavor: 'pir' });
  });

  it('should read a first entry longer than the first small read whole (it tells pir from pi)', async () => {
    expect(await headerOf([header(), pirEntry(10_000), pirEntry(10)])).toEqual({ id: 'session-1', cwd: '/home/user/project', titleSlot: false, flavor: 'pir' });
    expect((await headerOf([header(), JSON.stringify({ type: 'message', id: 'e1', parentId: null, message: { role: 'user', content: 'x'.repeat(10_000) } })]))?.flavor).toBe('pi');
  });

  it('should read a header longer than the 64 KiB window, and one behind a title slot', async () => {
    const previous = Array.from({ length: 2_000 }, (_, index) => `/home/user/.omp/agent/sessions/previous-${index}.jsonl`);
    expect(await headerOf([header({ previousFiles: previous }), pirEntry(10)])).toMatchObject({ id: 'session-1', flavor: 'pir' });
    expect(await headerOf([JSON.stringify({ type: 'title', title: 'A title'.padEnd(200) }), header(), pirEntry(5_000)])).toMatchObject({ id: 'session-1', titleSlot: true, flavor: 'pir' });
  });

  it('should give undefined for a file that is no session, and for a file that is not there', async () => {
    expect(await headerOf([JSON.stringify({ type: 'message', id: 'e1' }), pirEntry(10_000)])).toBeUndefined();
    expect(await readHeaderLine(join(folder.path, 'missing.jsonl'))).toBeUndefined();
  });
});
