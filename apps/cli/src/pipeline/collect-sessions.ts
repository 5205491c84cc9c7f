import { stat } from 'node:fs/promises';
import { type Session, type SessionWarning } from '@forge/schema';
import { fingerprintFile } from './fingerprint-file.js';
import { createSourceReaders, type InputFile } from './source-readers.js';
import { type SourceSelection } from './source-selection.js';
import { type StateCache } from './state-cache.js';

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
  sessions: Session[];
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
  onDiscovered?: (files: number, bytes: number) => void;
  onFileDone?: (bytes: number) => void;
}

/**
 * Discovers every input file of the selected sources, reads each (or takes it from the state
 * cache when path, size, mtime — or, failing mtime, the content fingerprint — are unchanged), and
 * applies each source's cross-file step. Sessions come back sorted by source and id.
 */
export async function collectSessions({ selection, env, cache, reuseCache = true, onDiscovered, onFileDone }: CollectOptions): Promise<CollectedSessions> {
  const readers = createSourceReaders(selection, env);
  const discovered: { reader: (typeof readers)[number]; file: InputFile }[] = [];
  for (const reader of readers) for await (const file of reader.discover()) discovered.push({ reader, file });
  onDiscovered?.(discovered.length, discovered.reduce((total, { file }) => total + file.size, 0));

  const result: CollectedSessions = { sessions: [], inputs: [], skippedFiles: [], fileWarnings: [], filesRead: 0 };
  const perReader = new Map<(typeof readers)[number], Session[]>();
  for (const { reader, file } of discovered) {
    const sessions = await readThroughCache(file, reader.read, cache, reuseCache, result);
    const list = perReader.get(reader) ?? [];
    list.push(...sessions.filter((session) => selection.sources.has(sourceNameOf(session))));
    perReader.set(reader, list);
    onFileDone?.(file.size);
  }
  for (const reader of readers) result.sessions.push(...reader.finish(perReader.get(reader) ?? []));
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
  if (cached != null && cached.size === file.size) {
    if (cached.mtimeMs === file.mtimeMs) {
      result.inputs.push({ path: file.path, source: file.source, size: file.size, fingerprint: cached.fingerprint, cached: true });
      return cached.load();
    }
    const fingerprint = await fingerprintFile(file.path, file.size);
    if (fingerprint === cached.fingerprint) {
      cache?.touch(file.path, file.mtimeMs);
      result.inputs.push({ path: file.path, source: file.source, size: file.size, fingerprint, cached: true });
      return cached.load();
    }
  }
  const fingerprint = await fingerprintFile(file.path, file.size);
  const warnings: SessionWarning[] = [];
  let sessions: Session[];
  try {
    sessions = await read(file, warnings);
  } catch (error) {
    result.skippedFiles.push({ path: file.path, reason: error instanceof Error ? error.message : String(error) });
    return [];
  }
  result.filesRead += 1;
  result.inputs.push({ path: file.path, source: file.source, size: file.size, fingerprint, cached: false });
  if (sessions.length === 0) {
    result.skippedFiles.push({ path: file.path, reason: warnings[0]?.message ?? 'no conversation in the file' });
    result.fileWarnings.push(...warnings);
  }
  // The mtime read before the file was read: a file that grows meanwhile is re-read next time.
  const now = await stat(file.path).catch(() => undefined);
  if (now?.size === file.size) cache?.store({ path: file.path, size: file.size, mtimeMs: file.mtimeMs, fingerprint }, sessions);
  return sessions;
}
