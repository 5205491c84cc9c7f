import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `$CODEX_HOME` (default `~/.codex`), as Codex resolves it (codex.md §1): an empty value counts
 * as unset.
 */
export function codexHome(env: Readonly<Record<string, string | undefined>>, homeDirectory: string = homedir()): string {
  const configured = env.CODEX_HOME;
  return configured != null && configured !== '' ? configured : join(homeDirectory, '.codex');
}

/** The folders that hold rollouts under a Codex home: live sessions, then archived ones. */
export function rolloutFolders(home: string): string[] {
  return [join(home, 'sessions'), join(home, 'archived_sessions')];
}
