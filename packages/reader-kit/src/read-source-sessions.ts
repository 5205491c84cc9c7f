import { ForgeError, type Session, type SessionWarning } from '@forge/schema';
import { foldSessions, type FoldedSessions } from './fold-sessions.js';
import { WHOLE_FILE_BYTES } from './read-small-file.js';
import { ReaderPool } from './reader-pool.js';
import { type DiscoverOptions, type FileSessions, type ReadFileOptions, type SessionSourceReader, type SourceFile } from './session-source.js';

/** Options of {@link readSourceSessions}: where to look, how to read, where warnings go. */
export interface ReadSourceSessionsOptions extends DiscoverOptions, ReadFileOptions {
  /** Warnings no yielded Session carries: discovery notes, file warnings, link notes. */
  onWarning?: (warning: SessionWarning) => void;
  /**
   * Threads that read files, this one included: 0 or 1 (default) reads here; N > 1 adds N - 1
   * worker threads (for readers with a `location`). Sessions come in the same order whatever N.
   */
  workers?: number;
}

/** Files larger than this are read on the calling thread, never handed to a worker. */
const HANDOVER_MAX_BYTES = 4 * WHOLE_FILE_BYTES;

interface PendingFile {
  file: SourceFile;
  result: Promise<FoldedSessions>;
  settled: boolean;
}

/**
 * Every Session a reader finds, the plain way: discover, read each file and fold its events, and
 * link each group of files (a Claude Code project) once its last file is read. Standalone files
 * are handed out as soon as they are read, in discovery order. Callers that cache per file drive
 * the same three steps themselves.
 */
export async function* readSourceSessions(reader: SessionSourceReader, options: ReadSourceSessionsOptions = {}): AsyncGenerator<Session> {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 0) {
    throw new ForgeError({ message: `workers must be a whole number >= 0, got ${String(workers)}`, code: 'invalid-option', hint: 'pass 1 to read on this thread, N > 1 to add N - 1 worker threads' });
  }
  const warn = options.onWarning ?? (() => undefined);
  const readOptions: ReadFileOptions = {
    ...(options.branches == null ? {} : { branches: options.branches }),
    ...(options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes }),
    ...(options.detail == null ? {} : { detail: options.detail }),
  };
  // This thread reads files too: a worker's Sessions are rebuilt here from JSON, which costs about
  // as much as parsing, so a worker per core would leave this thread as busy as a reader anyway.
  const pool = workers > 1 && reader.location != null ? new ReaderPool(workers - 1) : undefined;
  const pending: PendingFile[] = [];
  let discovery: AsyncIterator<SourceFile> | undefined;
  let discovered = false;
  let poolBusy = 0;
  let localBusy = false;
  // Every read that settles wakes the loop below, so a free thread gets its next file at once,
  // not only when the file first in line is done.
  let settlements = 0;
  let wake: (() => void) | undefined;

  // Results wait here until every file before them is handed out: a bound on what is held.
  const maxPending = 4 * Math.max(1, workers);
  // A file this big is read here: its Sessions would take longer to hand over than to read.
  let waitingForThisThread: SourceFile | undefined;
  /** Starts reading files until every thread has one (and each worker one queued). */
  const fill = async (): Promise<void> => {
    while ((!discovered || waitingForThisThread != null) && pending.length < maxPending) {
      let toPool = pool != null && (poolBusy < pool.threads || (localBusy && poolBusy < 2 * pool.threads));
      if (!toPool && localBusy) return;
      let file = waitingForThisThread;
      if (file == null) {
        discovery ??= reader.discover({ ...options, onWarning: warn })[Symbol.asyncIterator]();
        const next = await discovery.next();
        if (next.done === true) {
          discovered = true;
          return;
        }
        file = next.value;
      }
      waitingForThisThread = undefined;
      if (file.size > HANDOVER_MAX_BYTES) {
        if (localBusy) {
          waitingForThisThread = file;
          return;
        }
        toPool = false;
      }
      let result: Promise<FoldedSessions>;
      if (toPool && pool != null) {
        poolBusy += 1;
        result = pool.read(reader, file, readOptions).finally(() => (poolBusy -= 1));
      } else {
        localBusy = true;
        result = foldSessions(reader.readFile(file, readOptions)).finally(() => (localBusy = false));
      }
      const entry: PendingFile = { file, result, settled: false };
      // Awaited in order below; this only records the settlement (and keeps a failure from being reported as unhandled first).
      const settle = (): void => {
        entry.settled = true;
        settlements += 1;
        wake?.();
      };
      result.then(settle, settle);
      pending.push(entry);
    }
  };

  let group: { key: string; files: FileSessions[] } | undefined;
  const linkGroup = (): Session[] => {
    if (group == null) return [];
    const files = group.files;
    group = undefined;
    return reader.link == null ? files.flatMap((file) => file.sessions) : reader.link(files, warn);
  };
  /** One read file: its warnings, then its Sessions (or, when it starts a new group, the last group's). */
  const take = (file: SourceFile, folded: FoldedSessions): Session[] => {
    // A group is linked when the next begins, before that file's own warnings are reported.
    const linked = group != null && group.key !== file.group ? linkGroup() : [];
    for (const warning of folded.fileWarnings) warn(warning);
    if (file.group == null) return linked.length === 0 ? folded.sessions : [...linked, ...folded.sessions];
    group ??= { key: file.group, files: [] };
    group.files.push({ file, sessions: folded.sessions, linkFacts: folded.linkFacts });
    return linked;
  };
  try {
    if (pool == null) {
      // One thread: each file is read and handed out before the next is listed.
      for await (const file of reader.discover({ ...options, onWarning: warn })) {
        const folded = await foldSessions(reader.readFile(file, readOptions));
        for (const session of take(file, folded)) yield session;
      }
      yield* linkGroup();
      return;
    }
    for (;;) {
      const seen = settlements;
      await fill();
      const next = pending[0];
      if (next == null) break;
      if (!next.settled) {
        if (settlements === seen) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      pending.shift();
      for (const session of take(next.file, await next.result)) yield session;
    }
    yield* linkGroup();
  } finally {
    await pool?.close();
  }
}
