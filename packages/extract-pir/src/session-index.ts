import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** One row of pir's `session-index.sqlite` `sessions` table (pi-family.md §4.1). */
export interface SessionIndexRow {
  path: string;
  id: string;
  cwd: string;
  timestamp: string;
  messageCount: number;
  lastModifiedMs: number;
  sizeBytes: number;
  name: string | null;
}

interface RawRow {
  path: string;
  id: string;
  cwd: string;
  timestamp: string;
  message_count: number;
  last_modified_ms: number;
  size_bytes: number;
  name: string | null;
}

/**
 * Reads every row of a pir session index without touching the original: the database (and its
 * `-wal`, which may hold rows not yet checkpointed) is copied to a private temp folder and opened
 * there read-only. Opening a WAL database in place, even read-only, creates `-wal`/`-shm` files
 * next to it; that would be a write into the sessions tree.
 *
 * @throws whatever SQLite throws for a locked, corrupt or foreign file (the caller warns and scans).
 */
export async function readSessionIndex(indexPath: string): Promise<SessionIndexRow[]> {
  const folder = await mkdtemp(join(tmpdir(), 'forge-pir-index-'));
  try {
    const copy = join(folder, 'session-index.sqlite');
    await copyFile(indexPath, copy);
    await copyFile(`${indexPath}-wal`, `${copy}-wal`).catch(() => undefined);
    const database = new Database(copy, { readonly: true, fileMustExist: true });
    try {
      const rows = database
        .prepare('SELECT path, id, cwd, timestamp, message_count, last_modified_ms, size_bytes, name FROM sessions')
        .all() as RawRow[];
      return rows.map((row) => ({
        path: row.path,
        id: row.id,
        cwd: row.cwd,
        timestamp: row.timestamp,
        messageCount: Number(row.message_count),
        lastModifiedMs: Number(row.last_modified_ms),
        sizeBytes: Number(row.size_bytes),
        name: row.name,
      }));
    } finally {
      database.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
