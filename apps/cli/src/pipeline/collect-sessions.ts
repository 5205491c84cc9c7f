import { stat } from 'node:fs/promises';
import { type Session, type SessionWarning } from '@forge/schema';
import { fingerprintFile } from './fingerprint-file.js';
import { createSourceReaders, type InputFile, type SourceReader } from './source-readers.js';
import { type SourceSelection } from './source-selection.js';
import { type FileReadResult, type StateCache } from './state-cache.js';

/** One input file as the manifest records it. */
export interface ReadInput {
  path: string;
  source: Session['source'];
  size: number;
  fingerprint: string;
  /** Served from the state cache without opening the file. */
  cached: boolean;
}

export interface CollectedSessions {
  /** Every session, sorted by source and id (empty when a `consume` callback took them). */
  sessions: Session[];
  /** How many sessions were produced. */
  sessionCount: number;
  /** Warnings carried by the sessions. */
  sessionWarnings: number;
  inputs: ReadInput[];
  /** Files that gave no session, with why (empty, not a session, unreadable). */
  skippedFiles: { path: string; reason: string }[];
  /** Warnings of files that produced no session (a session carries its own). */
  fileWarnings: SessionWarning[];
  filesRead: number;
}

/** How many per-file reads run ahead of the consumer. */
const readAhead = 4;

/** Every input file, per reader, before anything is read. */
export interface DiscoveredInputs {
  perReader: Map<SourceReader, InputFile[]>;
  files: InputFile[];
}

/** Lists the input files of the selected sources (stats only: nothing is opened). */
export async function discoverInputs(selection: SourceSelection, env: NodeJS.ProcessEnv): Promise<DiscoveredInputs> {
  const perReader = new Map<SourceReader, InputFile[]>();
  for (const reader of createSourceReaders(selection, env)) {
    const files: InputFile[] = [];
    for await (const file of reader.discover()) files.push(file);
    perReader.set(reader, files);
  }
  return { perReader, files: [...perReader.values()].flat() };
}

export interface CollectOptions {
  selection: SourceSelection;
  env: NodeJS.ProcessEnv;
  /** Inputs listed already (by `discoverInputs`); listed here otherwise. */
  discovered?: DiscoveredInputs;
  /** The incremental state: unchanged files are served from it, read files are stored in it. */
  cache?: StateCache;
  /** False: read every file again (`--full`), still refreshing the cache. */
  reuseCache?: boolean;
  /**
   * Receives each session as soon as it is final (pi-family files one by one, Claude Code after
   * its cross-file step), so a run never holds every session at once. Without it, sessions are
   * returned sorted.
   */
  consume?: (session: Session) => Promise<void>;
  onDiscovered?: (files: number, bytes: number) => void;
  onFileDone?: (bytes: number) => void;
}

/**
 * Discovers every input file of the selected sources, reads each (or takes it from the state
 * cache when path, size, mtime — or, failing mtime, the content fingerprint — are unchanged), and
 * applies each source's cross-file step. Sessions come back sorted by source and id.
 */
export async function collectSessions({ selection, env, discovered: listed, cache, reuseCache = true, consume, onDiscovered, onFileDone }: CollectOptions): Promise<CollectedSessions> {
  const { perReader: discovered, files: allFiles } = listed ?? (await discoverInputs(selection, env));
  const readers = [...discovered.keys()];
  onDiscovered?.(allFiles.length, allFiles.reduce((total, file) => total + file.size, 0));

  const result: CollectedSessions = { sessions: [], sessionCount: 0, sessionWarnings: 0, inputs: [], skippedFiles: [], fileWarnings: [], filesRead: 0 };
  const take = async (session: Session) => {
    if (!(selection.sources as ReadonlySet<string>).has(sourceNameOf(session))) return;
    result.sessionCount += 1;
    result.sessionWarnings += session.warnings.length;
    if (consume == null) result.sessions.push(session);
    else await consume(session);
  };
  const context = { cache, reuseCache, result, take, onFileDone };
  for (const [reader, files] of discovered) {
    if (reader.kind === 'per-file') {
      // A few files are read ahead while the sessions of the current one are consumed, so file I/O
      // overlaps the transform; sessions are still handed over in file order.
      const reading: Promise<Session[]>[] = [];
      let next = 0;
      for (const file of files) {
        while (next < files.length && reading.length < readAhead) {
          reading.push(readThroughCache(files[next]!, (input, warnings) => reader.read(input, warnings), context));
          next += 1;
        }
        for (const session of await reading.shift()!) await take(session);
        onFileDone?.(file.size);
      }
    } else {
      await readSetThroughCache(reader, files, context);
    }
  }
  cache?.prune(new Set([...allFiles.map((file) => file.path), ...readers.filter((reader) => reader.kind === 'whole-set').map(setKey)]));
  result.sessions.sort((left, right) => left.source.localeCompare(right.source) || left.id.localeCompare(right.id));
  result.inputs.sort((left, right) => left.path.localeCompare(right.path));
  result.skippedFiles.sort((left, right) => left.path.localeCompare(right.path) || left.reason.localeCompare(right.reason));
  return result;
}

interface ReadContext {
  cache: StateCache | undefined;
  reuseCache: boolean;
  result: CollectedSessions;
  take: (session: Session) => Promise<void>;
  onFileDone: ((bytes: number) => void) | undefined;
}

/**
 * A whole-set reader (Claude Code) is cached as one entry keyed by its files' paths, sizes and
 * mtimes: when none changed, nothing is opened; when one did, the set is read again, because a
 * changed file can change what other files' sessions become (resume copies, subagent links).
 */
async function readSetThroughCache(reader: Extract<SourceReader, { kind: 'whole-set' }>, files: InputFile[], { cache, reuseCache, result, take, onFileDone }: ReadContext): Promise<void> {
  const key = setKey(reader);
  const signature = files.map((file) => `${file.path}\u0000${file.size}\u0000${file.mtimeMs}`).join('\n');
  const cached = reuseCache ? cache?.lookup(key) : undefined;
  if (cache != null && cached != null && cached.fingerprint === signature) {
    const stored = cached.load();
    const fingerprints = new Map(Object.entries(stored.fingerprints ?? {}));
    for (const file of files) {
      result.inputs.push({ path: file.path, source: file.source, size: file.size, fingerprint: fingerprints.get(file.path) ?? '', cached: true });
      onFileDone?.(file.size);
    }
    recordFileWarnings(stored.fileWarnings, result);
    for (const session of cache.setSessions(key)) await take(session);
    return;
  }
  const fileWarnings: SessionWarning[] = [];
  const done = new Set<string>();
  const sizes = new Map(files.map((file) => [file.path, file.size]));
  let seq = 0;
  cache?.beginSet(key);
  await reader.readAll(fileWarnings, async (session) => {
    cache?.appendSetSession(key, seq, session);
    seq += 1;
    for (const path of session.files) {
      if (!done.has(path) && sizes.has(path)) {
        done.add(path);
        onFileDone?.(sizes.get(path) ?? 0);
      }
    }
    await take(session);
  });
  const fingerprints: Record<string, string> = {};
  for (const file of files) {
    if (!done.has(file.path)) onFileDone?.(file.size);
    const fingerprint = await fingerprintFile(file.path, file.size);
    fingerprints[file.path] = fingerprint;
    result.inputs.push({ path: file.path, source: file.source, size: file.size, fingerprint, cached: false });
  }
  result.filesRead += files.length;
  recordFileWarnings(fileWarnings, result);
  cache?.store({ path: key, size: files.length, mtimeMs: 0, fingerprint: signature }, { sessions: [], fileWarnings, fingerprints });
}

function setKey(reader: SourceReader): string {
  return `set:${reader.name}`;
}

/** Warnings that no session carries (a file with no conversation, a pure resume copy): the file is skipped. */
function recordFileWarnings(warnings: readonly SessionWarning[], result: CollectedSessions): void {
  result.fileWarnings.push(...warnings);
  const skipped = new Set(result.skippedFiles.map(({ path }) => path));
  for (const warning of warnings) {
    if (skipped.has(warning.file)) continue;
    skipped.add(warning.file);
    result.skippedFiles.push({ path: warning.file, reason: warning.message });
  }
}

function sourceNameOf(session: Session): string {
  return session.source === 'claude-code' ? 'claude' : session.source;
}

async function readThroughCache(
  file: InputFile,
  read: (file: InputFile, warnings: SessionWarning[]) => Promise<Session[]>,
  { cache, reuseCache, result }: ReadContext,
): Promise<Session[]> {
  const cached = reuseCache ? cache?.lookup(file.path) : undefined;
  let fingerprint: string | undefined;
  if (cached != null && cached.size === file.size) {
    const unchanged = cached.mtimeMs === file.mtimeMs || (fingerprint = await fingerprintFile(file.path, file.size)) === cached.fingerprint;
    if (unchanged) {
      if (cached.mtimeMs !== file.mtimeMs) cache?.touch(file.path, file.mtimeMs);
      return record(file, cached.fingerprint, cached.load(), true, result);
    }
  }
  fingerprint ??= await fingerprintFile(file.path, file.size);
  const fileWarnings: SessionWarning[] = [];
  let sessions: Session[];
  try {
    sessions = await read(file, fileWarnings);
  } catch (error) {
    result.skippedFiles.push({ path: file.path, reason: error instanceof Error ? error.message : String(error) });
    return [];
  }
  result.filesRead += 1;
  const outcome: FileReadResult = { sessions, fileWarnings: sessions.length === 0 ? fileWarnings : [] };
  // A file that grew while it was read is not cached: the next run reads it again.
  const now = await stat(file.path).catch(() => undefined);
  if (now?.size === file.size) cache?.store({ path: file.path, size: file.size, mtimeMs: file.mtimeMs, fingerprint }, outcome);
  return record(file, fingerprint, outcome, false, result);
}

/** Adds one file's outcome to the run's inputs, skipped files and warnings. */
function record(file: InputFile, fingerprint: string, { sessions, fileWarnings }: FileReadResult, cached: boolean, result: CollectedSessions): Session[] {
  result.inputs.push({ path: file.path, source: file.source, size: file.size, fingerprint, cached });
  if (sessions.length === 0) {
    result.skippedFiles.push({ path: file.path, reason: fileWarnings[0]?.message ?? 'no conversation in the file' });
    result.fileWarnings.push(...fileWarnings);
  }
  return sessions;
}
