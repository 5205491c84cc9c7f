import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined): string | undefined => (value == null || value === '' ? undefined : value);

/** OpenCode's data folder: `$XDG_DATA_HOME/opencode`, default `~/.local/share/opencode` (opencode.md §1). */
export function opencodeDataDir(env: Env, homeDirectory: string = homedir()): string {
  return join(nonEmpty(env.XDG_DATA_HOME) ?? join(homeDirectory, '.local', 'share'), 'opencode');
}

/** The database `OPENCODE_DB` names (absolute, or relative to the data folder), when it is set. */
export function configuredDatabase(env: Env, dataDir: string): string | undefined {
  const configured = nonEmpty(env.OPENCODE_DB);
  if (configured == null || configured === ':memory:') return undefined;
  return isAbsolute(configured) ? configured : join(dataDir, configured);
}
