import { statSync } from 'node:fs';
import { SessionFold, type FileSessions, type ReadFileOptions, type SessionSourceReader, type SourceFile } from '@forge/reader-kit';
import { type Session, type SessionSource, type SessionWarning } from '@forge/schema';
import { type FileReadCache } from './file-read-cache.js';
import { fingerprintBytes, fingerprintFileSync } from './fingerprint-file.js';
import { type CachedFileRead } from './session-codec.js';
import { type StateStore } from './state-store.js';

/** Which readers to drive, over which folders, keeping which sources. */
export interface SourceSelection {
  readers: readonly SessionSourceReader[];
  /** The `Session.source` values to keep (default: every source of the readers). Files and sessions of others are passed over. */
  sources?: ReadonlySet<SessionSource>;
  /** Folders per reader name; a reader not named looks in its defaults (its environment variables, then `~`). */
  roots?: Readonly<Record<string, readonly string[]>>;
  env?: Readonly<Record<string, string | undefined>>;
  homeDirectory?: string;
}

/** One input file as the manifest records it. */
export interface ReadInput {
  path: string;
  source: SessionSource;
  size: number;
  fingerprint: string;
  /** Served from the state cache without opening the file. */
  cached: boolean;
}

/** Every input file of a selection, per reader, before anything is read. */
export interface DiscoveredInputs {
  perReader: ReadonlyArray<{ reader: SessionSourceReader; files: SourceFile[] }>;
  files: SourceFile[];
  /** What discovery passed over (a stale index entry, an unreadable folder). */
  warnings: SessionWarning[];
}

/** What {@link collectSessions} read. */
export interface CollectedSessions {
  /** Every session, sorted by source and id (empty when a `consume` callback took them). */
  sessions: Session[];
  /** How many sessions were produced. */
  sessionCount: number;
  /** Warnings carried by the sessions. */
  sessionWarnings: number;
  /** Every input file, sorted by path. */
  inputs: ReadInput[];
  /** Files that gave no session, with why (empty, not a session, a resume copy, unreadable). */
  skippedFiles: { path: string; reason: string }[];
  /** Warnings no session carries: of discovery, of files, of the cross-file step. */
  fileWarnings: SessionWarning[];
  /** Files opened and read (the others came from the state cache). */
  filesRead: number;
}

/** Options of {@link collectSessions}. */
export interface CollectOptions {
  selection: SourceSelection;
  /** Inputs listed already (by {@link discoverInputs}); listed here otherwise. */
  discovered?: DiscoveredInputs;
  /** The incremental state: unchanged files are served from it, read files are stored in it. */
  store?: StateStore;
  /** False: read every file again (`--full`), still refreshing the cache. */
  reuseCache?: boolean;
  /** How files are read (branches); the cache must be keyed by the same (`StateStoreOptions.cacheVersion`). */
  readOptions?: ReadFileOptions;
  /**
   * Receives each session as soon as it is final (a standalone file's when it is read, a group's
   * when its last file is read and the group linked), so a run never holds every session at once.
   * Without it, sessions are returned sorted.
   */
  consume?: (session: Session) => Promise<void>;
  onDiscovered?: (files: number, bytes: number) => void;
  onFileDone?: (bytes: number) => void;
}

const passedOver = new Set<SessionWarning['kind']>(['empty-file', 'not-a-session', 'unreadable-file']);

/** A discovery warning that means its file was left out (empty, not a session, unreadable): a skipped file, not only a note. */
export function isPassedOver(warning: SessionWarning): boolean {
  return passedOver.has(warning.kind);
}

/** How many file reads of a unit run at once. */
const readAhead = 4;

function selectedSources(selection: SourceSelection): ReadonlySet<SessionSource> {
  return selection.sources ?? new Set(selection.readers.flatMap((reader) => reader.sources));
}

/** Options of {@link discoverInputs}. */
export interface DiscoverInputsOptions {
  /** Keeps what readers' discovery read from file heads: unchanged files are not opened next time. */
  store?: StateStore;
  /** False (`--full`): read every head again, still refreshing the memo. */
  reuseCache?: boolean;
}

/**
 * Lists the input files of the selected sources: file stats, and the heads a reader's discovery
 * needs (pi-family session headers), which come from the store's header memo for files whose
 * path, size and mtime are unchanged.
 */
export async function discoverInputs(selection: SourceSelection, { store, reuseCache = true }: DiscoverInputsOptions = {}): Promise<DiscoveredInputs> {
  const sources = selectedSources(selection);
  const warnings: SessionWarning[] = [];
  const perReader: Array<{ reader: SessionSourceReader; files: SourceFile[] }> = [];
  for (const reader of selection.readers) {
    if (!reader.sources.some((source) => sources.has(source))) continue;
    const roots = selection.roots?.[reader.name];
    const files: SourceFile[] = [];
    const headerMemo = store?.headerMemo(reader.name, { trust: reuseCache });
    const discovery = reader.discover({
      ...(roots == null ? {} : { roots }),
      ...(selection.env == null ? {} : { env: selection.env }),
      ...(selection.homeDirectory == null ? {} : { homeDirectory: selection.homeDirectory }),
      onWarning: (warning) => warnings.push(warning),
      ...(headerMemo == null ? {} : { headerMemo }),
    });
    for await (const file of discovery) if (sources.has(file.source)) files.push(file);
    headerMemo?.save();
    perReader.push({ reader, files });
  }
  return { perReader, files: perReader.flatMap(({ files }) => files), warnings };
}

/** One unit of work: a group of files linked together (a Claude Code project), or one standalone file. */
export interface ReadUnit {
  reader: SessionSourceReader;
  files: SourceFile[];
}

/** What reading one {@link ReadUnit} gave: its final Sessions (linked) and the bookkeeping of its files. */
export interface UnitRead {
  /** The unit's Sessions of the selected sources, in file order, final (a group's linked). */
  sessions: Session[];
  /** The unit's files, in file order. */
  inputs: ReadInput[];
  skippedFiles: { path: string; reason: string }[];
  fileWarnings: SessionWarning[];
  /** Files opened and read (the others came from the cache). */
  filesRead: number;
}

/** Options of {@link readUnit}. */
export interface ReadUnitOptions {
  /** The per-file read cache (a `StateStore`, or a worker's `FileReadCache`); none: every file is read. */
  cache?: Pick<FileReadCache, 'lookupFile' | 'storeFile' | 'touchFile'>;
  /** False: read every file again (`--full`), still refreshing the cache. */
  reuseCache?: boolean;
  readOptions?: ReadFileOptions;
  /**
   * False: no content fingerprint is taken and no cache used (a caller that records no inputs, such
   * as `forge stats`: one open and read less per file); each `ReadInput.fingerprint` is then ''.
   */
  fingerprints?: boolean;
  /** The `Session.source` values to keep (default all). */
  sources?: ReadonlySet<SessionSource>;
  onFileDone?: (bytes: number) => void;
}

/**
 * The discovered files cut into units: each group's files (they come one after another) form one
 * unit, every standalone file is one. A unit's Sessions are final once the unit is read, so units
 * can be read anywhere (a worker thread) and in any order.
 */
export function planReadUnits(discovered: Pick<DiscoveredInputs, 'perReader'>): ReadUnit[] {
  const units: ReadUnit[] = [];
  for (const { reader, files } of discovered.perReader) {
    let group: ReadUnit | undefined;
    for (const file of files) {
      if (file.group != null && group != null && file.group === group.files[0]!.group) {
        group.files.push(file);
        continue;
      }
      const unit = { reader, files: [file] };
      units.push(unit);
      group = file.group == null ? undefined : unit;
    }
  }
  return units;
}

/**
 * What a unit whose handling threw (a worker that died: a bug, never bad input) counts as: each of
 * its files left out with an `unreadable-file` warning saying why, so the run goes on without it.
 */
export function failedUnitRead(files: readonly { path: string }[], error: unknown): Omit<UnitRead, 'sessions'> {
  const message = `cannot read file: ${error instanceof Error ? error.message : String(error)}`;
  return {
    inputs: [],
    filesRead: 0,
    fileWarnings: files.map((file) => ({ file: file.path, kind: 'unreadable-file' as const, message })),
    skippedFiles: files.map((file) => ({ path: file.path, reason: message })),
  };
}

/**
 * Reads one unit: each file (or what it gave, from the cache, when path, size and mtime — or,
 * failing mtime, the content fingerprint — are unchanged), then links a group through its reader's
 * `link`. Caching is per file, so one changed file of a group is the only one read again; the
 * group is linked again from the others' cached reads. Never throws for bad or unreadable input.
 */
export async function readUnit({ reader, files }: ReadUnit, { cache, reuseCache = true, readOptions = {}, fingerprints = true, sources, onFileDone }: ReadUnitOptions = {}): Promise<UnitRead> {
  const result: UnitRead = { sessions: [], inputs: [], skippedFiles: [], fileWarnings: [], filesRead: 0 };
  const skipped = new Set<string>();
  const skip = (path: string, reason: string): void => {
    if (skipped.has(path)) return;
    skipped.add(path);
    result.skippedFiles.push({ path, reason });
  };
  const warn = (warning: SessionWarning): void => {
    result.fileWarnings.push(warning);
    skip(warning.file, warning.message);
  };
  const grouped: FileSessions[] = [];
  // A few files are read ahead, so one file's I/O overlaps another's parsing.
  const reading: Promise<CachedFileRead>[] = [];
  let next = 0;
  for (const file of files) {
    while (next < files.length && reading.length < readAhead) {
      reading.push(readThroughCache(reader, files[next]!, { cache: fingerprints ? cache : undefined, reuseCache, readOptions, fingerprints, result }));
      next += 1;
    }
    const read = await reading.shift()!;
    for (const warning of read.fileWarnings) warn(warning);
    if (read.sessions.length === 0 && read.fileWarnings.length === 0) skip(file.path, 'no conversation in the file');
    if (file.group == null) result.sessions.push(...read.sessions);
    else grouped.push({ file, sessions: read.sessions, linkFacts: read.linkFacts });
    onFileDone?.(file.size);
  }
  if (grouped.length > 0) result.sessions.push(...(reader.link == null ? grouped.flatMap((file) => file.sessions) : reader.link(grouped, warn)));
  if (sources != null) result.sessions = result.sessions.filter((session) => sources.has(session.source));
  return result;
}

/**
 * Discovers every input file of the selected readers and reads them unit by unit ({@link readUnit}:
 * unchanged files from the state cache, each group linked), on this thread.
 */
export async function collectSessions({ selection, discovered: listed, store, reuseCache = true, readOptions = {}, consume, onDiscovered, onFileDone }: CollectOptions): Promise<CollectedSessions> {
  const discovered = listed ?? (await discoverInputs(selection, { ...(store == null ? {} : { store }), reuseCache }));
  const sources = selectedSources(selection);
  onDiscovered?.(discovered.files.length, discovered.files.reduce((total, file) => total + file.size, 0));
  const tally = new CollectionTally(discovered);
  const sessions: Session[] = [];
  for (const unit of planReadUnits(discovered)) {
    const read = await readUnit(unit, { ...(store == null ? {} : { cache: store }), reuseCache, readOptions, sources, ...(onFileDone == null ? {} : { onFileDone }) });
    tally.addUnit(read, { count: read.sessions.length, warnings: read.sessions.reduce((total, session) => total + session.warnings.length, 0) });
    for (const session of read.sessions) {
      if (consume == null) sessions.push(session);
      else await consume(session);
    }
  }
  store?.pruneFiles(sources, new Set(discovered.files.map((file) => file.path)));
  return { ...tally.finish(), sessions: sessions.sort((left, right) => left.source.localeCompare(right.source) || left.id.localeCompare(right.id)) };
}

/**
 * Adds up what units read (inputs, skipped files, warnings, counts) into what a collection
 * reports, discovery's passed-over files included; `finish()` sorts. The one bookkeeping of
 * {@link collectSessions} and of callers that read units elsewhere (`forge run`'s workers).
 */
export class CollectionTally {
  readonly #result: CollectedSessions = { sessions: [], sessionCount: 0, sessionWarnings: 0, inputs: [], skippedFiles: [], fileWarnings: [], filesRead: 0 };

  constructor(discovered: Pick<DiscoveredInputs, 'warnings'>) {
    // A file discovery passed over (empty, not a session) is a skipped file and a warning; notes
    // about an index (stale, unavailable) lose nothing, since the folders are scanned anyway.
    const skipped = new Set<string>();
    for (const warning of discovered.warnings) {
      if (!isPassedOver(warning)) continue;
      this.#result.fileWarnings.push(warning);
      if (skipped.has(warning.file)) continue;
      skipped.add(warning.file);
      this.#result.skippedFiles.push({ path: warning.file, reason: warning.message });
    }
  }

  /** One unit's bookkeeping, and how many sessions (and warnings they carry) it gave. */
  addUnit(read: Omit<UnitRead, 'sessions'>, sessions: { count: number; warnings: number }): void {
    this.#result.inputs.push(...read.inputs);
    this.#result.skippedFiles.push(...read.skippedFiles);
    this.#result.fileWarnings.push(...read.fileWarnings);
    this.#result.filesRead += read.filesRead;
    this.#result.sessionCount += sessions.count;
    this.#result.sessionWarnings += sessions.warnings;
  }

  /** The collection so far (no sessions), inputs and skipped files sorted by path. */
  finish(): CollectedSessions {
    this.#result.inputs.sort((left, right) => left.path.localeCompare(right.path));
    this.#result.skippedFiles.sort((left, right) => left.path.localeCompare(right.path) || left.reason.localeCompare(right.reason));
    return this.#result;
  }
}

/** One file's read: from the cache when the file is unchanged, else read (and cached) now. */
async function readThroughCache(
  reader: SessionSourceReader,
  file: SourceFile,
  { cache, reuseCache, readOptions, fingerprints, result }: { cache: ReadUnitOptions['cache']; reuseCache: boolean; readOptions: ReadFileOptions; fingerprints: boolean; result: UnitRead },
): Promise<CachedFileRead> {
  const cached = reuseCache ? cache?.lookupFile(file.path) : undefined;
  let fingerprint: string | undefined;
  try {
    if (cached != null && cached.size === file.size && cached.source === file.source) {
      const unchanged = cached.mtimeMs === file.mtimeMs || (fingerprint = fingerprintFileSync(file.path, file.size)) === cached.fingerprint;
      if (unchanged) {
        if (cached.mtimeMs !== file.mtimeMs) cache?.touchFile(file.path, file.mtimeMs);
        result.inputs.push({ path: file.path, source: file.source, size: file.size, fingerprint: cached.fingerprint, cached: true });
        return cached.load();
      }
    }
  } catch (error) {
    return unreadable(file, error);
  }
  // A file the reader reads whole (a small one) is fingerprinted from those bytes: one open and read, not two.
  const whole: { bytes?: Buffer } = {};
  const fold = new SessionFold();
  try {
    for await (const event of reader.readFile(file, fingerprints ? { ...readOptions, onWholeRead: (bytes) => (whole.bytes = bytes) } : readOptions)) fold.add(event);
    if (fingerprints) fingerprint = whole.bytes == null ? (fingerprint ?? fingerprintFileSync(file.path, file.size)) : fingerprintBytes(whole.bytes);
  } catch (error) {
    return unreadable(file, error);
  }
  const read = fold.finish();
  result.filesRead += 1;
  result.inputs.push({ path: file.path, source: file.source, size: file.size, fingerprint: fingerprint ?? '', cached: false });
  if (cache == null || fingerprint == null) return read;
  // A file that changed size since discovery (it grew while it was read) is not cached: the next run reads it again.
  const readSize = whole.bytes?.length ?? statSync(file.path, { throwIfNoEntry: false })?.size;
  if (readSize === file.size) cache.storeFile({ path: file.path, source: file.source, size: file.size, mtimeMs: file.mtimeMs, fingerprint }, read);
  return read;
}

/** A reader throws only for what is not bad content (an I/O error): the file is left out, and said so. */
function unreadable(file: SourceFile, error: unknown): CachedFileRead {
  return { sessions: [], fileWarnings: [{ file: file.path, kind: 'unreadable-file', message: `cannot read file: ${error instanceof Error ? error.message : String(error)}` }], linkFacts: [] };
}
