import { homedir } from 'node:os';
import { type Session } from '@forge/schema';
import { collectSessions, type CollectedSessions, type SourceSelection } from '@forge/state';
import { type ReadFileOptions } from '@forge/reader-kit';
import { type CliIo } from '../cli-io.js';
import { createProgress } from '../render/progress.js';
import { claudeConfigRoots, parseSources, resolveRoots, sourceReaders } from '../sources/source-registry.js';
import { type SessionInputOptions } from './command-options.js';

/**
 * Reads the selected sources with a progress display on stderr. No state cache: these commands
 * only look. With `consume`, sessions stream to it instead of being returned.
 */
export async function loadSessions(options: SessionInputOptions, io: CliIo, consume?: (session: Session) => Promise<void>, readOptions?: ReadFileOptions): Promise<CollectedSessions> {
  const progress = createProgress(io, { quiet: options.quiet });
  try {
    return await collectSessions({
      selection: sourceSelection(options, io),
      ...(consume == null ? {} : { consume }),
      ...(readOptions == null ? {} : { readOptions }),
      onDiscovered: (files, bytes) => progress.start('reading', files, bytes),
      onFileDone: (bytes) => progress.advance(bytes),
    });
  } finally {
    progress.stop();
  }
}

/** The readers, sources and folders `--source` and `--root` select. */
export function sourceSelection(options: SessionInputOptions, io: CliIo): SourceSelection {
  const roots = resolveRoots(options.root, io.cwd);
  return {
    readers: sourceReaders,
    sources: new Set(parseSources(options.source)),
    ...(roots == null ? {} : { roots }),
    env: io.env,
    homeDirectory: io.env.HOME ?? homedir(),
  };
}

/** Where scoring reads Claude Code's session facets for the sessions `--root` selects (their homes', not this machine's). */
export function facetRoots(options: SessionInputOptions, io: CliIo): string[] {
  return claudeConfigRoots(resolveRoots(options.root, io.cwd), io.env, io.env.HOME ?? homedir());
}
