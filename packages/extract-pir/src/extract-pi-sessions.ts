import { readSourceSessions } from '@forge/reader-kit';
import { type Session } from '@forge/schema';
import { type DiscoverPiSessionsOptions } from './discover-pi-sessions.js';
import { piFamilySource, piSourceFiles } from './pi-family-source.js';
import { type BranchSelection } from './stream-pi-session.js';

/** Options of {@link extractPiSessions}: discovery options plus how to read each file. */
export interface ExtractPiSessionsOptions extends DiscoverPiSessionsOptions {
  /** `active` (default) or `all` branches of every file. */
  branches?: BranchSelection;
  /**
   * Threads that read files, this one included: 0 or 1 (default) reads in this thread; N > 1
   * starts N - 1 worker threads and this thread reads files too. Sessions come in discovery order
   * whatever N.
   */
  workers?: number;
}

/**
 * Every Session of every discovered pi-family file (see {@link discoverPiSessions} for the roots):
 * `readSourceSessions` over {@link piFamilySource}, with these discovery options (roots of a known
 * kind, the session index switch). A file that cannot be read is reported through `onWarning` and
 * skipped; the rest go on.
 */
export function extractPiSessions(options: ExtractPiSessionsOptions = {}): AsyncGenerator<Session> {
  const { branches, workers, onWarning, ...discovery } = options;
  const reader = { ...piFamilySource, discover: (found: { onWarning?: ExtractPiSessionsOptions['onWarning'] } = {}) => piSourceFiles({ ...discovery, ...(found.onWarning == null ? {} : { onWarning: found.onWarning }) }) };
  return readSourceSessions(reader, {
    ...(onWarning == null ? {} : { onWarning }),
    ...(branches == null ? {} : { branches }),
    ...(workers == null ? {} : { workers }),
  });
}
