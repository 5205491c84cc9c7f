import { type Session } from '@forge/schema';
import { type CliIo } from '../cli-io.js';
import { type SessionInputOptions } from './command-options.js';
import { collectSessions, type CollectedSessions } from '../pipeline/collect-sessions.js';
import { parseSources, resolveRoots } from '../pipeline/source-selection.js';
import { createProgress } from '../render/progress.js';


/**
 * Reads the selected sources with a progress display on stderr. No state cache: these commands
 * only look. With `consume`, sessions stream to it instead of being returned.
 */
export async function loadSessions(options: SessionInputOptions, io: CliIo, consume?: (session: Session) => Promise<void>): Promise<CollectedSessions> {
  const progress = createProgress(io, { quiet: options.quiet });
  const selection = { sources: parseSources(options.source), ...resolveRoots(options.root, io.cwd) };
  let total = { files: 0, bytes: 0 };
  try {
    return await collectSessions({
      selection,
      env: io.env,
      ...(consume == null ? {} : { consume }),
      onDiscovered: (files, bytes) => {
        total = { files, bytes };
        progress.start('reading', total.files, total.bytes);
      },
      onFileDone: (bytes) => progress.advance(bytes),
    });
  } finally {
    progress.stop();
  }
}
