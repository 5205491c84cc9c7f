import { mkdir, readFile, readdir, rm, stat, utimes } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type SessionWarning } from '@forge/schema';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverPiSessions, type PiSessionHandle } from './discover-pi-sessions.js';
import { extractPiSessions } from './extract-pi-sessions.js';
import { readFileSync } from 'node:fs';
import { rawLineBatchesOf } from '@forge/reader-kit';
import { indexPiFile } from './index-pi-file.js';
import { piFixtureSessions } from './test-support/fixture-paths.js';
import { copyTree, makeTempFolder, snapshotTree } from './test-support/temp-folder.js';

let folder: { path: string; remove: () => Promise<void> };
let root: string;
beforeEach(async () => {
  folder = await makeTempFolder('index');
  root = join(folder.path, 'sessions');
  await copyTree(piFixtureSessions, root);
});
afterEach(async () => {
  await folder.remove();
});

async function sessionFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const name of await readdir(join(root, entry.name))) files.push(join(root, entry.name, name));
  }
  return files.sort();
}

/** Rebuilds the index the way pir's reindex_all does (pi-family.md §4.1 DDL), in WAL mode, for the copied files. */
async function writeFreshIndex(options: { extraRow?: string } = {}): Promise<void> {
  const database = new Database(join(root, 'session-index.sqlite'));
  try {
    database.pragma('journal_mode = WAL');
    database.exec('DELETE FROM sessions');
    const insert = database.prepare('INSERT INTO sessions (path, id, cwd, timestamp, message_count, last_modified_ms, size_bytes, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const path of await sessionFiles()) {
      const file = await indexPiFile(path, rawLineBatchesOf(readFileSync(path)), false);
      // pir (>= v0.1.9) leaves v1 files out of the index.
      if (file == null || file.header.version !== 3) continue;
      const stats = await stat(path);
      insert.run(path, file.header.id, file.header.cwd, file.header.timestamp ?? '', file.messageCount, Math.floor(stats.mtimeMs), stats.size, file.name ?? null);
    }
    if (options.extraRow != null) insert.run(options.extraRow, 'gone', '/gone', '2026-01-01T00:00:00.000Z', 1, 1, 1, null);
  } finally {
    database.close();
  }
}

async function discover(): Promise<{ handles: PiSessionHandle[]; warnings: SessionWarning[] }> {
  const warnings: SessionWarning[] = [];
  const handles: PiSessionHandle[] = [];
  for await (const handle of discoverPiSessions({ roots: [root], onWarning: (warning) => warnings.push(warning) })) handles.push(handle);
  return { handles, warnings };
}

describe('discoverPiSessions', () => {
  it('should never write into the sessions tree, not even -wal/-shm next to a WAL index', async () => {
    // SQLite header bytes 18/19 = 2: the fixture index is a WAL database, where even a read-only open creates -wal/-shm.
    const head = (await readFile(join(root, 'session-index.sqlite'))).subarray(18, 20);
    expect([...head]).toEqual([2, 2]);

    const before = await snapshotTree(root);
    await discover();
    for await (const session of extractPiSessions({ roots: [root], branches: 'all' })) expect(session.messages.length).toBeGreaterThanOrEqual(0);
    const after = await snapshotTree(root);
    expect([...after.keys()].map((path) => relative(root, path)).filter((path) => /-(wal|shm)$/u.test(path))).toEqual([]);
    expect(after).toEqual(before);
  });

  it('should use fresh index rows (foundBy index, pir message counts and names) and still scan files the index lacks', async () => {
    await writeFreshIndex();
    const { handles, warnings } = await discover();
    expect(warnings).toEqual([]);
    const byName = new Map(handles.map((handle) => [relative(root, handle.path), handle]));
    expect(byName.size).toBe(8);
    // §9: every file except the legacy v1 one is indexed, with these message counts and names.
    expect(byName.get('--home-ubuntu-gt-deacon--/2026-08-10T14-02-41.077Z_e2d94f70.jsonl')).toMatchObject({ foundBy: 'index', messageCount: 12, source: 'pir' });
    expect(byName.get('--home-ubuntu-gt-mayor--/2026-08-09T19-22-08.630Z_51f3c8e0.jsonl')).toMatchObject({ foundBy: 'index', messageCount: 8, name: 'mayor: myrig convoy plan' });
    expect(byName.get('--home-ubuntu-gt-deacon--/2026-08-11T07-02-44-118Z_1b9d5e3c-8f2a-4c6b-a0d7-5e4f3c2b1a09.jsonl')).toMatchObject({ foundBy: 'index', source: 'pi', name: 'deacon changelog' });
    expect(byName.get('--home-ubuntu-gt-mayor--/2025-11-20T23-33-50-805Z_6e2a0d4f-3b8c-4f1e-9a57-d0c4b2e8f613.jsonl')).toMatchObject({ foundBy: 'scan', source: 'pi', cwd: '/home/ubuntu/gt/mayor' });
    expect(handles.filter((handle) => handle.foundBy === 'index')).toHaveLength(7);
  });

  it('should distrust rows whose file changed or vanished, with one stale-index warning', async () => {
    await writeFreshIndex({ extraRow: join(root, '--home-ubuntu-gt-gone--/2026-01-01T00-00-00.000Z_deadbeef.jsonl') });
    const touched = join(root, '--home-ubuntu-gt-deacon--/2026-08-10T09-15-02.481Z_7c1e4b2a.jsonl');
    await utimes(touched, new Date(), new Date());
    const { handles, warnings } = await discover();
    expect(handles.find((handle) => handle.path === touched)).toMatchObject({ foundBy: 'scan' });
    expect(handles.find((handle) => handle.path === touched)?.messageCount).toBeUndefined();
    expect(handles).toHaveLength(8);
    expect(warnings).toEqual([expect.objectContaining({ kind: 'index-stale', message: expect.stringMatching(/1 row\(s\) disagree.*1 row\(s\) name files that no longer exist/u) })]);
  });

  it('should read the index while pir holds its write lock and an open write transaction', async () => {
    await writeFreshIndex();
    await mkdir(join(root, 'session-index.lock'));
    const writer = new Database(join(root, 'session-index.sqlite'));
    writer.exec('BEGIN EXCLUSIVE');
    try {
      const { handles, warnings } = await discover();
      expect(warnings).toEqual([]);
      expect(handles.filter((handle) => handle.foundBy === 'index')).toHaveLength(7);
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('should work with no index at all', async () => {
    await rm(join(root, 'session-index.sqlite'));
    const { handles, warnings } = await discover();
    expect(handles).toHaveLength(8);
    expect(handles.every((handle) => handle.foundBy === 'scan')).toBe(true);
    expect(warnings).toEqual([]);
  });
});
