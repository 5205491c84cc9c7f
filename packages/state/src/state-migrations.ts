import type Database from 'better-sqlite3';

/**
 * The state database's schema, one step per version (`PRAGMA user_version` counts the steps
 * applied). Steps are only ever appended: a later feature (curation verdicts, …) adds its tables
 * in a new step, and what earlier steps created, durable records included, survives.
 */
export const stateMigrations: ReadonlyArray<(database: Database.Database) => void> = [
  // 1. The read cache per input file, the record of each output folder's last run, and the lock
  //    that keeps two runs from writing at once. Replaces the cache tables of forge 0.1's CLI
  //    (`meta`, `files`, `set_sessions`), which held nothing but re-readable cache.
  (database) =>
    database.exec(`
      DROP TABLE IF EXISTS files;
      DROP TABLE IF EXISTS set_sessions;
      DROP TABLE IF EXISTS meta;
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE file_reads (
        path TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        fingerprint TEXT NOT NULL,
        result BLOB NOT NULL
      );
      CREATE TABLE runs (output TEXT PRIMARY KEY, signature TEXT NOT NULL, output_state TEXT NOT NULL, finished_at TEXT NOT NULL);
      CREATE TABLE run_lock (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, token TEXT NOT NULL, host TEXT NOT NULL, started_at TEXT NOT NULL);
    `),
  // 2. Curation verdicts (`forge score --record`): durable, one per session (the latest recorded
  //    wins), never emptied with the read cache.
  (database) =>
    database.exec(`
      CREATE TABLE verdicts (
        session_id TEXT PRIMARY KEY,
        verdict TEXT NOT NULL CHECK (verdict IN ('good', 'bad', 'skip')),
        by TEXT,
        note TEXT,
        at TEXT
      );
    `),
  // 3. The per-unit result cache (`UnitResultCache`): per unit of `forge run`, the key its result
  //    was made with, its files, and where its rows, views and record lie in a segment file of the
  //    cache folder beside the database. Re-creatable cache only.
  (database) =>
    database.exec(`
      CREATE TABLE unit_results (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        files TEXT NOT NULL,
        segment TEXT NOT NULL,
        start INTEGER NOT NULL,
        length INTEGER NOT NULL,
        tail INTEGER NOT NULL,
        record_length INTEGER NOT NULL
      );
    `),
  // 4. The header memo (`StoredHeaderMemo`): per input file and reader, what discovery read from
  //    the file's head (JSON) at the size and mtime the file had. Re-creatable cache only.
  (database) =>
    database.exec(`
      CREATE TABLE header_memo (
        reader TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        facts TEXT NOT NULL,
        PRIMARY KEY (reader, path)
      );
    `),
];

/**
 * Brings a database to the latest schema, each step in its own write transaction (a second
 * process that migrates at the same time waits, then finds nothing left to do). Returns the
 * version found, or throws when the database is newer than this code knows.
 */
export function migrate(database: Database.Database, tooNew: (found: number) => Error): number {
  const found = database.pragma('user_version', { simple: true }) as number;
  if (found > stateMigrations.length) throw tooNew(found);
  for (let step = found; step < stateMigrations.length; step += 1) {
    database
      .transaction(() => {
        if ((database.pragma('user_version', { simple: true }) as number) !== step) return;
        stateMigrations[step]!(database);
        database.pragma(`user_version = ${step + 1}`);
      })
      .immediate();
  }
  return found;
}
