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

export interface CollectOptions {
  selection: SourceSelection;
  env: NodeJS.ProcessEnv;
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
export async function collectSessions({ selection, env, cache, reuseCache = true, consume, onDiscovered, onFileDone }: CollectOptions): Promise<CollectedSessions> {
  const readers = createSourceReaders(selection, env);
  const discovered: { reader: (typeof readers)[number]; file: InputFile }[] = [];
  for (const reader of readers) for await (const file of reader.discover()) discovered.push({ reader, file });
  onDiscovered?.(discovered.length, discovered.reduce((total, { file }) => total + file.size, 0));

  const result: CollectedSessions = { sessions: [], sessionCount: 0, sessionWarnings: 0, inputs: [], skippedFiles: [], fileWarnings: [], filesRead: 0 };
  const take = async (session: Session) => {
    if (!selection.sources.has(sourceNameOf(session))) return;
    result.sessionCount += 1;
    result.sessionWarnings += session.warnings.length;
    if (consume == null) result.sessions.push(session);
    else await consume(session);
  };
  const waitingForCrossFileStep = new Map<SourceReader, Session[]>();
  for (const { reader, file } of discovered) {
    const sessions = await readThroughCache(file, (input, warnings) => reader.read(input, warnings), cache, reuseCache, result);
    if (reader.finish == null) {
      for (const session of sessions) await take(session);
    } else {
      waitingForCrossFileStep.set(reader, [...(waitingForCrossFileStep.get(reader) ?? []), ...sessions]);
    }
    onFileDone?.(file.size);
  }
  for (const reader of readers) {
    if (reader.finish != null) for (const session of reader.finish(waitingForCrossFileStep.get(reader) ?? [])) await take(session);
  }
  cache?.prune(new Set(discovered.map(({ file }) => file.path)));
  result.sessions.sort((left, right) => left.source.localeCompare(right.source) || left.id.localeCompare(right.id));
  result.inputs.sort((left, right) => left.path.localeCompare(right.path));
  return result;
}

function sourceNameOf(session: Session): 'claude' | 'pir' | 'pi' | 'omp' {
  return session.source === 'claude-code' ? 'claude' : session.source;
}

async function readThroughCache(
  file: InputFile,
  read: (file: InputFile, warnings: SessionWarning[]) => Promise<Session[]>,
  cache: StateCache | undefined,
  reuseCache: boolean,
  result: CollectedSessions,
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
