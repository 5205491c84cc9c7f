import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The incremental state folder: `$XDG_CACHE_HOME/forge`, else `~/.cache/forge` (never `~/.forge`: another tool owns it). */
export function defaultCacheDirectory(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME != null && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(env.HOME ?? homedir(), '.cache');
  return join(base, 'forge');
}

/** forge's state database: `state.sqlite` in `cacheDir` (relative to `cwd`), else in {@link defaultCacheDirectory}. */
export function stateDatabasePath(cacheDir: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return join(resolve(cwd, cacheDir ?? defaultCacheDirectory(env)), 'state.sqlite');
}

/** The built-in demo corpus, shipped with the package (a home folder with .claude, .pi and .omp). */
export function demoHome(): string {
  // The same code runs from src/pipeline (tests) and from the bundled dist/: find the package root.
  let folder = import.meta.dirname;
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return join(folder, 'demo', 'home');
}
