import Database from 'better-sqlite3';
import { type SessionSource } from '@forge/schema';
import { decodeFileRead, encodeFileRead, type CachedFileRead } from './session-codec.js';
import { StateError } from './state-error.js';

/** What the cache remembers about one input file besides what reading it gave. */
export interface CachedFile {
  path: string;
  source: SessionSource;
  size: number;
  mtimeMs: number;
  fingerprint: string;
}

/**
 * The per-file read cache of the state database (`file_reads`): what reading each input file
 * gave, keyed by path and checked by size, mtime and fingerprint. `StateStore` serves it to the
 * run that holds the database; {@link FileReadCache.openShared} gives a worker thread its own
 * connection to the same table (WAL: readers never wait, writers queue behind a busy timeout).
 */
export class FileReadCache {
  readonly #lookup: Database.Statement;
  readonly #store: Database.Statement;
  readonly #touch: Database.Statement;

  constructor(private readonly database: Database.Database) {
    this.#lookup = database.prepare('SELECT path, source, size, mtime_ms, fingerprint, result FROM file_reads WHERE path = ?');
    this.#store = database.prepare('INSERT OR REPLACE INTO file_reads (path, source, size, mtime_ms, fingerprint, result) VALUES (?, ?, ?, ?, ?, ?)');
    this.#touch = database.prepare('UPDATE file_reads SET mtime_ms = ? WHERE path = ?');
  }

  /**
   * A connection of its own to a state database a run already opened and holds (a worker of that
   * run): no hold is taken and no migration runs. `close()` closes the connection.
   */
  static openShared(path: string): FileReadCache {
    try {
      const database = new Database(path, { fileMustExist: true });
      database.pragma('busy_timeout = 10000');
      // A lost cache write only costs a re-read: no fsync per write (the database is in WAL mode already).
      database.pragma('synchronous = NORMAL');
      return new FileReadCache(database);
    } catch (error) {
      throw new StateError({ message: `cannot open the state database: ${error instanceof Error ? error.message : String(error)}`, code: 'state-unreadable', location: { file: path }, hint: 'open it with StateStore.open first; a worker shares the run\'s database', cause: error });
    }
  }

  /** The cached read of a file, if any; its content is decoded only when `load()` is called. */
  lookupFile(path: string): (CachedFile & { load: () => CachedFileRead }) | undefined {
    const row = this.#lookup.get(path) as { path: string; source: SessionSource; size: number; mtime_ms: number; fingerprint: string; result: Buffer } | undefined;
    if (row == null) return undefined;
    return { path: row.path, source: row.source, size: row.size, mtimeMs: row.mtime_ms, fingerprint: row.fingerprint, load: () => decodeFileRead(row.result) };
  }

  /** Records what reading a file gave. */
  storeFile(file: CachedFile, read: CachedFileRead): void {
    this.#store.run(file.path, file.source, file.size, file.mtimeMs, file.fingerprint, encodeFileRead(read));
  }

  /** Updates the mtime of a file whose content fingerprint did not change. */
  touchFile(path: string, mtimeMs: number): void {
    this.#touch.run(mtimeMs, path);
  }

  /** Drops the cached reads of files of `sources` that are not in `keep` (gone, or no longer looked at). */
  pruneFiles(sources: ReadonlySet<SessionSource>, keep: ReadonlySet<string>): number {
    const rows = this.database.prepare('SELECT path, source FROM file_reads').all() as { path: string; source: SessionSource }[];
    const remove = this.database.prepare('DELETE FROM file_reads WHERE path = ?');
    const gone = rows.filter((row) => sources.has(row.source) && !keep.has(row.path));
    this.database.transaction(() => {
      for (const row of gone) remove.run(row.path);
    })();
    return gone.length;
  }

  /** Closes a shared connection (a store's own cache closes with the store). */
  close(): void {
    if (this.database.open) this.database.close();
  }
}
