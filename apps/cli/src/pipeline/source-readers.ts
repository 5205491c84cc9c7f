import { discoverClaudeSessions, readClaudeSession } from '@forge/extract-claude';
import { discoverPiSessions, type PiFlavor, readPiSession } from '@forge/extract-pir';
import { type Session, type SessionWarning } from '@forge/schema';
import { type SourceSelection } from './source-selection.js';

/** An input file as the pipeline sees it, whatever its reader. */
export interface InputFile {
  path: string;
  source: Session['source'];
  size: number;
  mtimeMs: number;
  /** Reader-specific details needed to read the file (e.g. a subagent's .meta.json). */
  metaPath?: string;
}

/** One reader behind a common face: list files, read one, then the cross-file step over all it read. */
export interface SourceReader {
  discover(): AsyncIterable<InputFile>;
  read(file: InputFile, warnings: SessionWarning[]): Promise<Session[]>;
  /** The cross-file step over everything the reader read; absent when files stand alone. */
  finish?: (sessions: Session[]) => Session[];
}

/** The readers the selection needs. */
export function createSourceReaders(selection: SourceSelection, env: NodeJS.ProcessEnv): SourceReader[] {
  const readers: SourceReader[] = [];
  const wantsPi = ['pir', 'pi', 'omp'].some((name) => selection.sources.has(name as 'pir'));
  if (wantsPi) readers.push(piFamilyReader(selection, env));
  if (selection.sources.has('claude')) readers.push(claudeReader(selection, env));
  return readers;
}

function piFamilyReader(selection: SourceSelection, env: NodeJS.ProcessEnv): SourceReader {
  return {
    async *discover() {
      for await (const handle of discoverPiSessions({ ...(selection.piRoots == null ? {} : { roots: selection.piRoots }), env })) {
        if (!selection.sources.has(handle.flavor)) continue;
        yield { path: handle.path, source: handle.flavor, size: handle.size, mtimeMs: handle.mtime.getTime() };
      }
    },
    read: (file, warnings) => readPiSession(file.path, { flavor: file.source as PiFlavor, onWarning: (warning) => warnings.push(warning) }),
  };
}

function claudeReader(selection: SourceSelection, env: NodeJS.ProcessEnv): SourceReader {
  return {
    async *discover() {
      for await (const file of discoverClaudeSessions({ ...(selection.claudeRoots == null ? {} : { roots: selection.claudeRoots }), env })) {
        const input: InputFile = { path: file.path, source: 'claude-code', size: file.bytes, mtimeMs: file.modifiedAt.getTime() };
        if (file.metaPath != null) input.metaPath = file.metaPath;
        yield input;
      }
    },
    read: (file, warnings) =>
      readClaudeSession(file.path, { ...(file.metaPath == null ? {} : { metaPath: file.metaPath }), onWarning: (warning) => warnings.push(warning) }),
    finish: (sessions) => sessions,
  };
}
