import type Database from 'better-sqlite3';
import { type HeaderMemo, type JsonValue } from '@forge/reader-kit';

interface MemoRow {
  size: number;
  mtimeMs: number;
  facts: string;
}

/**
 * One reader's header memo in the state database (`header_memo`): what its discovery read from
 * each file's head, with the file's size and mtime then. Loaded whole when made (one query, not one
 * per file); `save()` writes what discovery read this time and drops the reader's entries of files
 * it did not see (gone, or under other roots), so the table stays the size of one discovery.
 */
export class StoredHeaderMemo implements HeaderMemo {
  readonly #rows = new Map<string, MemoRow>();
  readonly #seen = new Set<string>();
  readonly #read = new Map<string, MemoRow>();

  /** `trust: false` (`--full`): nothing is recalled, every head is read again, and the memo refreshed. */
  constructor(
    private readonly database: Database.Database,
    private readonly reader: string,
    private readonly trust: boolean,
  ) {
    const rows = database.prepare('SELECT path, size, mtime_ms, facts FROM header_memo WHERE reader = ?').all(reader) as { path: string; size: number; mtime_ms: number; facts: string }[];
    for (const row of rows) this.#rows.set(row.path, { size: row.size, mtimeMs: row.mtime_ms, facts: row.facts });
  }

  recall(path: string, size: number, mtimeMs: number): JsonValue | undefined {
    const row = this.#rows.get(path);
    if (!this.trust || row == null || row.size !== size || row.mtimeMs !== mtimeMs) return undefined;
    this.#seen.add(path);
    return JSON.parse(row.facts) as JsonValue;
  }

  remember(path: string, size: number, mtimeMs: number, facts: JsonValue): void {
    this.#seen.add(path);
    const row = { size, mtimeMs, facts: JSON.stringify(facts) };
    const stored = this.#rows.get(path);
    if (stored == null || stored.size !== size || stored.mtimeMs !== mtimeMs || stored.facts !== row.facts) this.#read.set(path, row);
  }

  /** Writes the heads read since the memo was made and drops the entries of files not seen; returns how many were dropped. */
  save(): number {
    const gone = [...this.#rows.keys()].filter((path) => !this.#seen.has(path));
    if (this.#read.size === 0 && gone.length === 0) return 0;
    const store = this.database.prepare('INSERT OR REPLACE INTO header_memo (reader, path, size, mtime_ms, facts) VALUES (?, ?, ?, ?, ?)');
    const remove = this.database.prepare('DELETE FROM header_memo WHERE reader = ? AND path = ?');
    this.database.transaction(() => {
      for (const path of gone) remove.run(this.reader, path);
      for (const [path, row] of this.#read) store.run(this.reader, path, row.size, row.mtimeMs, row.facts);
    })();
    for (const path of gone) this.#rows.delete(path);
    for (const [path, row] of this.#read) this.#rows.set(path, row);
    this.#read.clear();
    this.#seen.clear();
    return gone.length;
  }
}
