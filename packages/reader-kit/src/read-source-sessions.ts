import { type Session, type SessionWarning } from '@forge/schema';
import { foldSessions } from './fold-sessions.js';
import { type DiscoverOptions, type FileSessions, type ReadFileOptions, type SessionSourceReader } from './session-source.js';

/** Options of {@link readSourceSessions}: where to look, how to read, where warnings go. */
export interface ReadSourceSessionsOptions extends DiscoverOptions, ReadFileOptions {
  /** Warnings no yielded Session carries: discovery notes, file warnings, link notes. */
  onWarning?: (warning: SessionWarning) => void;
}

/**
 * Every Session a reader finds, the plain way: discover, read each file and fold its events, and
 * link each group of files (a Claude Code project) once its last file is read. Standalone files
 * are handed out as soon as they are read. Callers that cache per file or read on several threads
 * drive the same three steps themselves.
 */
export async function* readSourceSessions(reader: SessionSourceReader, options: ReadSourceSessionsOptions = {}): AsyncGenerator<Session> {
  const warn = options.onWarning ?? (() => undefined);
  const readOptions: ReadFileOptions = {
    ...(options.branches == null ? {} : { branches: options.branches }),
    ...(options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes }),
  };
  let group: { key: string; files: FileSessions[] } | undefined;
  const linkGroup = (): Session[] => {
    if (group == null) return [];
    const files = group.files;
    group = undefined;
    return reader.link == null ? files.flatMap((file) => file.sessions) : reader.link(files, warn);
  };
  for await (const file of reader.discover({ ...options, onWarning: warn })) {
    if (group != null && group.key !== file.group) yield* linkGroup();
    const folded = await foldSessions(reader.readFile(file, readOptions));
    for (const warning of folded.fileWarnings) warn(warning);
    if (file.group == null) {
      yield* folded.sessions;
      continue;
    }
    group ??= { key: file.group, files: [] };
    group.files.push({ file, sessions: folded.sessions, linkFacts: folded.linkFacts });
  }
  yield* linkGroup();
}

