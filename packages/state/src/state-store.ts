import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { isProcessAlive, type SessionSource, type Verdict } from '@forge/schema';
import { FileReadCache, type CachedFile } from './file-read-cache.js';
import { type CachedFileRead } from './session-codec.js';
import { StateError } from './state-error.js';
import { migrate, stateMigrations } from './state-migrations.js';
import { StoredHeaderMemo } from './stored-header-memo.js';
import { UnitResultCache } from './unit-result-cache.js';

/** The run that holds the store. */
export interface StateHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/** Options of {@link StateStore.open}. */
export interface StateStoreOptions {
  /**
   * What cached reads depend on (the readers' version and read options): when it differs from the
   * stored one, the read cache is emptied; run records and other durable data stay.
   */
  cacheVersion: string;
  /** Called once when another run holds the store and this one starts to wait. */
  onWait?: (holder: StateHolder) => void;
  /** Stop waiting after this long with a `state-busy` StateError (default: wait until the other run ends). */
  waitTimeoutMs?: number;
  /** How often to look whether the other run ended (default 250 ms). */
  pollMs?: number;
}

/** Tokens of the holds this process has: a row with our pid but another token is a dead run's (pid reuse). */
const heldTokens = new Set<string>();

/**
 * forge's state database (SQLite, under ~/.cache/forge, never in an agent's folder): per input
 * file (path, size, mtime, content fingerprint) what reading it gave, the last run into each
 * output folder, and a versioned schema for what later features keep there. One run holds it at
 * a time: {@link StateStore.open} waits while another holds it, and `close()` lets go.
 */
export class StateStore {
  /** The per-file read cache (also served by the methods below). */
  readonly files: FileReadCache;
  /** `forge run`'s per-unit result cache; its segment files are in `unit-results/` beside the database. */
  readonly units: UnitResultCache;

  private constructor(
    private readonly database: Database.Database,
    private readonly token: string,
    path: string,
  ) {
    this.files = new FileReadCache(database);
    this.units = new UnitResultCache(database, join(dirname(path), 'unit-results'));
  }

  /** Opens (creating or migrating) the database at `path` and takes the hold, waiting while another run has it. */
  static async open(path: string, options: StateStoreOptions): Promise<StateStore> {
    let database: Database.Database | undefined;
    try {
      mkdirSync(dirname(path), { recursive: true });
      database = new Database(path);
      // Concurrent writers wait for each other's short transactions instead of failing at once.
      database.pragma('busy_timeout = 10000');
      database.pragma('journal_mode = WAL');
      // A lost cache write only costs a re-read: no fsync per write.
      database.pragma('synchronous = NORMAL');
      migrate(database, (found) => new StateError({ message: `the state database is of schema version ${found}; this forge knows up to ${stateMigrations.length}`, code: 'state-too-new', location: { file: path }, hint: 'a newer forge wrote it: update forge, or give this run another cache folder' }));
    } catch (error) {
      database?.close();
      if (StateError.isInstance(error)) throw error;
      throw new StateError({ message: `cannot open the state database: ${error instanceof Error ? error.message : String(error)}`, code: 'state-unreadable', location: { file: path }, hint: 'check its folder is writable; it holds a re-readable cache, so moving it away loses no input', cause: error });
    }
    const store = new StateStore(database, randomUUID(), path);
    try {
      await store.hold(path, options);
      store.useCacheVersion(options.cacheVersion);
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  private async hold(path: string, { onWait, waitTimeoutMs = Number.POSITIVE_INFINITY, pollMs = 250 }: StateStoreOptions): Promise<void> {
    const started = Date.now();
    let told = false;
    for (;;) {
      const holder = this.tryHold();
      if (holder == null) return;
      if (!told) {
        onWait?.(holder);
        told = true;
      }
      if (Date.now() - started >= waitTimeoutMs) {
        throw new StateError({
          message: `another forge run (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}) is using the state database`,
          code: 'state-busy',
          location: { file: path },
          hint: 'wait for it to finish, or give this run another cache folder',
        });
      }
      await sleep(pollMs);
    }
  }

  /** Takes the hold unless a live run has it; returns that run. A dead run's hold is taken over. */
  private tryHold(): StateHolder | undefined {
    return this.database
      .transaction((): StateHolder | undefined => {
        const row = this.database.prepare('SELECT pid, token, host, started_at FROM run_lock WHERE id = 1').get() as { pid: number; token: string; host: string; started_at: string } | undefined;
        if (row != null) {
          const live = row.host !== hostname() || (row.pid === process.pid ? heldTokens.has(row.token) : isProcessAlive(row.pid));
          if (live) return { pid: row.pid, host: row.host, startedAt: row.started_at };
        }
        this.database.prepare('INSERT OR REPLACE INTO run_lock (id, pid, token, host, started_at) VALUES (1, ?, ?, ?, ?)').run(process.pid, this.token, hostname(), new Date().toISOString());
        heldTokens.add(this.token);
        return undefined;
      })
      .immediate();
  }

  /** Another cache version (readers changed): what was cached may differ from what a read gives now. */
  private useCacheVersion(cacheVersion: string): void {
    const stored = this.database.prepare("SELECT value FROM meta WHERE key = 'cache-version'").get() as { value: string } | undefined;
    if (stored?.value === cacheVersion) return;
    this.database
      .transaction(() => {
        this.database.exec('DELETE FROM file_reads');
        // What a reader made of a file's head may differ too.
        this.database.exec('DELETE FROM header_memo');
        this.database.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('cache-version', ?)").run(cacheVersion);
      })
      .immediate();
  }

  /** The cached read of a file, if any; its content is decoded only when `load()` is called. */
  lookupFile(path: string): (CachedFile & { load: () => CachedFileRead }) | undefined {
    return this.files.lookupFile(path);
  }

  /** Records what reading a file gave. */
  storeFile(file: CachedFile, read: CachedFileRead): void {
    this.files.storeFile(file, read);
  }

  /** Updates the mtime of a file whose content fingerprint did not change. */
  touchFile(path: string, mtimeMs: number): void {
    this.files.touchFile(path, mtimeMs);
  }

  /** Drops the cached reads of files of `sources` that are not in `keep` (gone, or no longer looked at). */
  pruneFiles(sources: ReadonlySet<SessionSource>, keep: ReadonlySet<string>): number {
    return this.files.pruneFiles(sources, keep);
  }

  /**
   * The header memo of one reader's discovery (`DiscoverOptions.headerMemo`); `save()` it after the
   * discovery. `trust: false` (`--full`): every head is read again, and the memo refreshed.
   */
  headerMemo(reader: string, { trust }: { trust: boolean }): StoredHeaderMemo {
    return new StoredHeaderMemo(this.database, reader, trust);
  }

  /** What the last complete run into an output folder was made from, and the files it left there. */
  lastRun(outputFolder: string): { signature: string; outputState: string } | undefined {
    const row = this.database.prepare('SELECT signature, output_state FROM runs WHERE output = ?').get(outputFolder) as { signature: string; output_state: string } | undefined;
    return row == null ? undefined : { signature: row.signature, outputState: row.output_state };
  }

  /** Records a complete run into an output folder. */
  recordRun(outputFolder: string, run: { signature: string; outputState: string }): void {
    this.database.prepare('INSERT OR REPLACE INTO runs (output, signature, output_state, finished_at) VALUES (?, ?, ?, ?)').run(outputFolder, run.signature, run.outputState, new Date().toISOString());
  }

  /** Records curation verdicts (a session's earlier verdict is replaced), all or none. */
  recordVerdicts(verdicts: readonly Verdict[]): void {
    const insert = this.database.prepare('INSERT OR REPLACE INTO verdicts (session_id, verdict, by, note, at) VALUES (?, ?, ?, ?, ?)');
    this.database.transaction(() => {
      for (const { sessionId, verdict, by, note, at } of verdicts) insert.run(sessionId, verdict, by ?? null, note ?? null, at ?? null);
    })();
  }

  /** Every recorded verdict by session id, in session id order. */
  verdicts(): Map<string, Verdict> {
    const rows = this.database.prepare('SELECT session_id, verdict, by, note, at FROM verdicts ORDER BY session_id').all() as {
      session_id: string;
      verdict: Verdict['verdict'];
      by: string | null;
      note: string | null;
      at: string | null;
    }[];
    return new Map(
      rows.map((row) => [
        row.session_id,
        { sessionId: row.session_id, verdict: row.verdict, ...(row.by == null ? {} : { by: row.by }), ...(row.note == null ? {} : { note: row.note }), ...(row.at == null ? {} : { at: row.at }) },
      ]),
    );
  }

  /** Lets go of the hold and closes the database. */
  close(): void {
    if (!this.database.open) return;
    try {
      this.units.close();
      this.database.prepare('DELETE FROM run_lock WHERE id = 1 AND token = ?').run(this.token);
    } finally {
      heldTokens.delete(this.token);
      this.database.close();
    }
  }
}
