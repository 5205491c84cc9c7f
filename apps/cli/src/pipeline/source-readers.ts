import { discoverClaudeSessions, extractClaudeSessions } from '@forge/extract-claude';
import { discoverPiSessions, type PiFlavor, readPiSession } from '@forge/extract-pir';
import { type Session, type SessionWarning } from '@forge/schema';
import { type SourceSelection } from './source-selection.js';

/** An input file as the pipeline sees it, whatever its reader. */
export interface InputFile {
  path: string;
  source: Session['source'];
  size: number;
  mtimeMs: number;
}

/**
 * One reader behind a common face. A `per-file` reader reads each file on its own (pi-family
 * files stand alone); a `whole-set` reader needs all its files at once for cross-file work
 * (Claude Code: resume copies, subagent links, titles from other files of the project).
 */
export type SourceReader =
  | { kind: 'per-file'; name: string; discover(): AsyncIterable<InputFile>; read(file: InputFile, warnings: SessionWarning[]): Promise<Session[]> }
  | {
      kind: 'whole-set';
      name: string;
      discover(): AsyncIterable<InputFile>;
      readAll(warnings: SessionWarning[], onSession: (session: Session) => Promise<void>): Promise<void>;
    };

/** The readers the selection needs. */
export function createSourceReaders(selection: SourceSelection, env: NodeJS.ProcessEnv): SourceReader[] {
  const readers: SourceReader[] = [];
  if (['pir', 'pi', 'omp'].some((name) => selection.sources.has(name as PiFlavor))) readers.push(piFamilyReader(selection, env));
  if (selection.sources.has('claude')) readers.push(claudeReader(selection, env));
  return readers;
}

function piFamilyReader(selection: SourceSelection, env: NodeJS.ProcessEnv): SourceReader {
  return {
    kind: 'per-file',
    name: 'pi-family',
    async *discover() {
      for await (const handle of discoverPiSessions({ ...(selection.piRoots == null ? {} : { roots: selection.piRoots }), env })) {
        if (!selection.sources.has(handle.source)) continue;
        yield { path: handle.path, source: handle.source, size: handle.size, mtimeMs: handle.mtimeMs };
      }
    },
    read: (file, warnings) => readPiSession(file.path, { source: file.source as PiFlavor, onWarning: (warning) => warnings.push(warning) }),
  };
}

function claudeReader(selection: SourceSelection, env: NodeJS.ProcessEnv): SourceReader {
  const options = { ...(selection.claudeRoots == null ? {} : { roots: selection.claudeRoots }), env };
  return {
    kind: 'whole-set',
    name: 'claude-code',
    async *discover() {
      for await (const file of discoverClaudeSessions(options)) {
        yield { path: file.path, source: 'claude-code', size: file.size, mtimeMs: file.mtimeMs };
      }
    },
    async readAll(warnings, onSession) {
      for await (const session of extractClaudeSessions({ ...options, onWarning: (warning) => warnings.push(warning) })) await onSession(session);
    },
  };
}
