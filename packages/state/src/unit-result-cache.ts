import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { type SessionSource } from '@forge/schema';
import { type CachedFile } from './file-read-cache.js';
import { fingerprintFileSync } from './fingerprint-file.js';


/**
 * Where a unit's handled result lies: a block of a segment file in the cache folder, `[start,
 * start + length)`, holding the unit's rows first, then from `tail` what the caller keeps beside
 * them (its views and, last, its record of `recordLength` bytes).
 */
export interface UnitCacheBlock {
  /** The segment's file name in the cache folder. */
  segment: string;
  start: number;
  length: number;
  /** Where, inside the block, the rows end. */
  tail: number;
  recordLength: number;
}

/** A unit's cache entry: its id, the key of the options its result was made with, its files and its block. */
export interface UnitCacheEntry extends UnitCacheBlock {
  id: string;
  source: SessionSource;
  key: string;
  /** Each file as it was when the unit was handled. */
  files: CachedFile[];
}

/** A unit's files now (discovery's stats). */
export type UnitFileStats = ReadonlyArray<Pick<CachedFile, 'path' | 'source' | 'size' | 'mtimeMs'>>;

/** What looking a unit up found. */
export type UnitCacheLookup =
  | { kind: 'hit'; entry: UnitCacheEntry; bytes: Buffer }
  /** Cached with the same key, but a file changed (or came or went). */
  | { kind: 'changed' }
  | { kind: 'miss' };

/** A segment whose live share falls under this is compacted at the end of a run. */
const compactBelow = 0.5;

interface EntryRow {
  id: string;
  source: SessionSource;
  key: string;
  files: string;
  segment: string;
  start: number;
  length: number;
  tail: number;
  record_length: number;
}

/**
 * `forge run`'s per-unit result cache: the table `unit_results` of the state database and the
 * segment files of `directory`. A segment is a thread's row spill of a run, kept: a unit's rows
 * were written there once, when it was handled, and the merge of a later run adopts them in
 * place. Entries are recorded during a run and committed together once the run's output is
 * written (their segments complete); then entries of units that no longer exist are dropped, a
 * segment no entry references is deleted and one mostly dead is compacted ({@link UnitResultCache.commit}).
 */
export class UnitResultCache {
  readonly #database: Database.Database;
  readonly #lookup: Database.Statement;
  readonly #pending = new Map<string, UnitCacheEntry>();
  /** Segments open for lookups, by file name (closed by `commit` and `close`). */
  readonly #open = new Map<string, number>();

  constructor(
    database: Database.Database,
    /** The folder of the segment files (created when missing). */
    readonly directory: string,
  ) {
    this.#database = database;
    this.#lookup = database.prepare('SELECT * FROM unit_results WHERE id = ?');
    mkdirSync(directory, { recursive: true });
  }

  /**
   * The unit `id`'s result when it was made with `key` from the same files: same paths, sources and
   * sizes, and mtimes (or, where an mtime moved, content fingerprints). On a hit, `bytes` are the
   * block's from `tail` to its end (the caller's record and what it put before it); a moved mtime
   * is recorded for the next run.
   */
  lookup(id: string, key: string, files: UnitFileStats): UnitCacheLookup {
    const row = this.#lookup.get(id) as EntryRow | undefined;
    if (row == null || row.key !== key) return { kind: 'miss' };
    const entry = entryOf(row);
    if (entry.files.length !== files.length) return { kind: 'changed' };
    let touched = false;
    for (const [index, file] of files.entries()) {
      const cached = entry.files[index]!;
      if (cached.path !== file.path || cached.source !== file.source || cached.size !== file.size) return { kind: 'changed' };
      if (cached.mtimeMs === file.mtimeMs) continue;
      try {
        if (fingerprintFileSync(file.path, file.size) !== cached.fingerprint) return { kind: 'changed' };
      } catch {
        return { kind: 'changed' };
      }
      entry.files[index] = { ...cached, mtimeMs: file.mtimeMs };
      touched = true;
    }
    let bytes: Buffer;
    try {
      let descriptor = this.#open.get(entry.segment);
      if (descriptor == null) this.#open.set(entry.segment, (descriptor = openSync(join(this.directory, entry.segment), 'r')));
      bytes = readRange(descriptor, entry.start + entry.tail, entry.length - entry.tail);
    } catch {
      // A segment gone or cut short (removed by hand): the unit is handled again.
      return { kind: 'miss' };
    }
    if (touched) this.#pending.set(id, entry);
    return { kind: 'hit', entry, bytes };
  }

  /** Records a unit's new entry (committed by {@link commit}). */
  record(entry: UnitCacheEntry): void {
    this.#pending.set(entry.id, entry);
  }

  /**
   * Once the run's output is written (its segments complete, the merge done reading): commits the
   * entries recorded, drops the entries of units of `sources` whose id is not in `live`, deletes
   * every segment no entry references, and compacts a segment whose referenced bytes are under half
   * its size (its live blocks copied, bytes only, into a new segment). Returns what it did.
   */
  commit(sources: ReadonlySet<SessionSource>, live: ReadonlySet<string>): { entries: number; deleted: number; compacted: number } {
    this.close();
    const upsert = this.#database.prepare('INSERT OR REPLACE INTO unit_results (id, source, key, files, segment, start, length, tail, record_length) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const remove = this.#database.prepare('DELETE FROM unit_results WHERE id = ?');
    this.#database.transaction(() => {
      for (const entry of this.#pending.values()) upsert.run(entry.id, entry.source, entry.key, JSON.stringify(entry.files), entry.segment, entry.start, entry.length, entry.tail, entry.recordLength);
      for (const { id, source } of this.#database.prepare('SELECT id, source FROM unit_results').all() as { id: string; source: SessionSource }[]) {
        if (sources.has(source) && !live.has(id)) remove.run(id);
      }
    })();
    this.#pending.clear();
    const liveBytes = new Map((this.#database.prepare('SELECT segment, SUM(length) AS bytes FROM unit_results GROUP BY segment').all() as { segment: string; bytes: number }[]).map((row) => [row.segment, row.bytes]));
    let deleted = 0;
    const sparse: string[] = [];
    for (const name of readdirSync(this.directory)) {
      const bytes = liveBytes.get(name);
      if (bytes == null) {
        rmSync(join(this.directory, name), { force: true });
        deleted += 1;
      } else if (bytes < compactBelow * statSync(join(this.directory, name)).size) sparse.push(name);
    }
    if (sparse.length > 0) this.#compact(sparse);
    return { entries: liveBytes.size, deleted, compacted: sparse.length };
  }

  /** Closes the segments lookups opened. */
  close(): void {
    for (const descriptor of this.#open.values()) closeSync(descriptor);
    this.#open.clear();
  }

  /** Copies the live blocks of `segments` into one new segment, moves their entries there, and deletes the old files. */
  #compact(segments: readonly string[]): void {
    const name = `compacted-${randomBytes(6).toString('hex')}.seg`;
    const into = openSync(join(this.directory, name), 'w', 0o600);
    const moved: { id: string; start: number }[] = [];
    let size = 0;
    try {
      for (const segment of segments) {
        const rows = this.#database.prepare('SELECT id, start, length FROM unit_results WHERE segment = ? ORDER BY start').all(segment) as { id: string; start: number; length: number }[];
        const from = openSync(join(this.directory, segment), 'r');
        try {
          for (const row of rows) {
            const bytes = readRange(from, row.start, row.length);
            for (let written = 0; written < bytes.length; ) written += writeSync(into, bytes, written, bytes.length - written, size + written);
            moved.push({ id: row.id, start: size });
            size += bytes.length;
          }
        } finally {
          closeSync(from);
        }
      }
    } finally {
      closeSync(into);
    }
    // The entries move only once the new segment is whole; the old files go only once they have moved.
    const move = this.#database.prepare('UPDATE unit_results SET segment = ?, start = ? WHERE id = ?');
    this.#database.transaction(() => {
      for (const { id, start } of moved) move.run(name, start, id);
    })();
    for (const segment of segments) rmSync(join(this.directory, segment), { force: true });
  }
}

function entryOf(row: EntryRow): UnitCacheEntry {
  return { id: row.id, source: row.source, key: row.key, files: JSON.parse(row.files) as CachedFile[], segment: row.segment, start: row.start, length: row.length, tail: row.tail, recordLength: row.record_length };
}

function readRange(descriptor: number, offset: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let read = 0; read < length; ) {
    const count = readSync(descriptor, bytes, read, length - read, offset + read);
    if (count === 0) throw new RangeError('the segment ended early');
    read += count;
  }
  return bytes;
}
