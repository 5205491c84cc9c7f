import { foldSessions } from '@forge/reader-kit';
import { type Session, type SessionWarning } from '@forge/schema';
import { type PiFlavor } from './pi-header.js';
import { streamPiSession, type BranchSelection } from './stream-pi-session.js';

/** Options of {@link readPiSession}. */
export interface ReadPiSessionOptions {
  /** `active` (default): the branch the harness would resume. `all`: one trajectory per leaf. */
  branches?: BranchSelection;
  /** Which program wrote the file (`PiSessionHandle.source`), when the caller knows it (discovery does); otherwise it is read from the file. */
  source?: PiFlavor;
  /** Notes about files that yield nothing (a 0-byte file). Per-line problems go into `Session.warnings`. */
  onWarning?: (warning: SessionWarning) => void;
}

/**
 * Reads one pi-family session file (pir, TS pi or omp) into canonical Sessions: the active branch
 * by default, every branch with `branches: 'all'`. A fold over {@link streamPiSession}; bad lines
 * become warnings on the Session. A 0-byte file yields `[]` and an `empty-file` note through `onWarning`.
 *
 * @throws PiSessionError `not-a-pi-session` when the first record is not a session header,
 *   `unreadable-session` when the file cannot be opened.
 */
export async function readPiSession(path: string, options: ReadPiSessionOptions = {}): Promise<Session[]> {
  const folded = await foldSessions(
    streamPiSession(path, { ...(options.branches == null ? {} : { branches: options.branches }), ...(options.source == null ? {} : { source: options.source }) }),
  );
  for (const warning of folded.fileWarnings) options.onWarning?.(warning);
  return folded.sessions;
}
