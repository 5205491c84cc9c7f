/** Codes of a write that found no room: the disk (ENOSPC), the user's quota (EDQUOT), an SQLite database (SQLITE_FULL). */
const outOfSpaceCodes = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);

/**
 * True when `error` says a write found no room. Not bad input: a run cannot go on without the
 * files it writes (row and view spills, the cache, the dataset), so such an error ends it. An error
 * from a worker thread arrives without its `code` (a structured clone keeps the message), so the
 * message's leading code counts too.
 */
export function isOutOfSpace(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as NodeJS.ErrnoException;
  if (code != null && outOfSpaceCodes.has(code)) return true;
  return /^(?:ENOSPC|EDQUOT):/.test(error.message) || error.message === 'database or disk is full';
}

/** What the CLI prints for an {@link isOutOfSpace} error: what happened, and where to make room. */
export function outOfSpaceMessage(error: Error): string {
  return (
    `no space left to write (${error.message}): free space on the disk of the --out folder and of the cache ` +
    '(--cache-dir, by default $XDG_CACHE_HOME/forge or ~/.cache/forge), or point them at a disk with room; ' +
    'an earlier dataset in --out is left as it was'
  );
}
