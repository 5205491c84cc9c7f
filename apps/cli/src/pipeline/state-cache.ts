import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Session } from '@forge/schema';
import { decodeCachedSessions, encodeCachedSessions, type CachedSessions } from './session-json.js';

/** What a cache row remembers about one input file. */
export interface CachedFile {
  path: string;
  size: number;
  mtimeMs: number;
  fingerprint: string;
}

/** What reading one file gave: its sessions, and the warnings of a file that gave none. */
export type FileReadResult = CachedSessions;

/** The cache's own format; bumping it discards every cached row. */
const CACHE_FORMAT = 5;

/**
 * The incremental-run state: per input file (path, size, mtime, content fingerprint) the sessions
 * it produced. Lives under ~/.cache/forge (or a folder given), never in the agents' folders.
 */
export class StateCache {
  private readonly database: Database.Database;

  constructor(path: string, readerVersion: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.database = new Database(path);
    this.database.pragma('journal_mode = WAL');
    // A lost cache write only costs a re-read: no fsync per write.
    this.database.pragma('synchronous = NORMAL');
    this.database.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const stored = this.database.prepare('SELECT value FROM meta WHERE key = ?').get('format') as { value: string } | undefined;
    const format = `${CACHE_FORMAT}:${readerVersion}`;
    // Another cache format or reader version: what was cached may differ from what a read gives now.
    if (stored?.value !== format) {
      this.database.exec('DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS set_sessions');
      this.database.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('format', format);
    }
    this.database.exec(
      'CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, fingerprint TEXT NOT NULL, result BLOB NOT NULL)',
    );
    // The sessions of a whole-set entry, one row each, so neither storing nor loading holds them all.
    this.database.exec('CREATE TABLE IF NOT EXISTS set_sessions (set_key TEXT NOT NULL, seq INTEGER NOT NULL, session BLOB NOT NULL, PRIMARY KEY (set_key, seq))');
  }

  /** Starts (re)writing a whole-set entry: until `finishSet`, the set has no valid cache entry. */
  beginSet(key: string): void {
    this.database.prepare('DELETE FROM files WHERE path = ?').run(key);
    this.database.prepare('DELETE FROM set_sessions WHERE set_key = ?').run(key);
  }

  /** Adds one session of a set being written. */
  appendSetSession(key: string, seq: number, session: Session): void {
    this.database.prepare('INSERT INTO set_sessions (set_key, seq, session) VALUES (?, ?, ?)').run(key, seq, encodeCachedSessions({ sessions: [session], fileWarnings: [] }));
  }

  /** The sessions of a set, in the order they were added, a page at a time. */
  *setSessions(key: string): Generator<Session> {
    const page = this.database.prepare('SELECT seq, session FROM set_sessions WHERE set_key = ? AND seq > ? ORDER BY seq LIMIT 256');
    let after = -1;
    for (;;) {
      const rows = page.all(key, after) as { seq: number; session: Buffer }[];
      if (rows.length === 0) return;
      for (const row of rows) yield* decodeCachedSessions(row.session).sessions;
      after = rows.at(-1)?.seq ?? after;
    }
  }

  /** The cached row for a path, if any. */
  lookup(path: string): (CachedFile & { load: () => FileReadResult }) | undefined {
    const row = this.database.prepare('SELECT path, size, mtime_ms, fingerprint, result FROM files WHERE path = ?').get(path) as
      | { path: string; size: number; mtime_ms: number; fingerprint: string; result: Buffer }
      | undefined;
    if (row == null) return undefined;
    return {
      path: row.path,
      size: row.size,
      mtimeMs: row.mtime_ms,
      fingerprint: row.fingerprint,
      load: () => decodeCachedSessions(row.result),
    };
  }

  /** Records what a file produced. */
  store(file: CachedFile, result: FileReadResult): void {
    this.database
      .prepare('INSERT OR REPLACE INTO files (path, size, mtime_ms, fingerprint, result) VALUES (?, ?, ?, ?, ?)')
      .run(file.path, file.size, file.mtimeMs, file.fingerprint, encodeCachedSessions(result));
  }

  /** Updates the mtime of a file whose content fingerprint did not change. */
  touch(path: string, mtimeMs: number): void {
    this.database.prepare('UPDATE files SET mtime_ms = ? WHERE path = ?').run(mtimeMs, path);
  }

  /** What the last complete run into an output folder was made from, and the files it left there. */
  lastRun(outputFolder: string): { signature: string; outputState: string } | undefined {
    const row = this.database.prepare('SELECT value FROM meta WHERE key = ?').get(`run:${outputFolder}`) as { value: string } | undefined;
    return row == null ? undefined : (JSON.parse(row.value) as { signature: string; outputState: string });
  }

  /** Records a complete run into an output folder. */
  recordRun(outputFolder: string, run: { signature: string; outputState: string }): void {
    this.database.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(`run:${outputFolder}`, JSON.stringify(run));
  }

  /** Drops rows of files that no longer exist among `keep`. */
  prune(keep: ReadonlySet<string>): number {
    const paths = (this.database.prepare('SELECT path FROM files').all() as { path: string }[]).map((row) => row.path);
    const remove = this.database.prepare('DELETE FROM files WHERE path = ?');
    this.database.prepare('DELETE FROM set_sessions WHERE set_key NOT IN (SELECT path FROM files)').run();
    let removed = 0;
    for (const path of paths) {
      if (!keep.has(path)) {
        remove.run(path);
        removed += 1;
      }
    }
    return removed;
  }

  close(): void {
    this.database.close();
  }
}
