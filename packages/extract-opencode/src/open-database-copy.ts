import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';

/** A read-only handle on a private copy of a database, and how to let it go. */
export interface DatabaseCopy {
  database: Database.Database;
  close(): Promise<void>;
}

/**
 * Opens a copy of an SQLite database read-only: the file and its `-wal` (OpenCode keeps most of its
 * recent rows there) are copied to a private temp folder first. Opening a WAL database in place,
 * even read-only, can create `-wal`/`-shm` files next to it: a write into the user's data folder.
 */
export async function openDatabaseCopy(path: string): Promise<DatabaseCopy> {
  const folder = await mkdtemp(join(tmpdir(), 'forge-opencode-db-'));
  try {
    const copy = join(folder, basename(path));
    await copyFile(path, copy);
    // The index (-shm) is rebuilt from the copied log; a missing -wal means everything is in the file.
    await copyFile(`${path}-wal`, `${copy}-wal`).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const database = new Database(copy, { readonly: true, fileMustExist: true });
    return {
      database,
      close: async () => {
        database.close();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
