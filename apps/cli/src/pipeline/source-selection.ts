import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ForgeError } from '@forge/schema';

/** The sources `--source` accepts. `claude` is Claude Code; pir and pi share `~/.pi`, told apart by their headers. */
export const sourceNames = ['claude', 'pir', 'pi', 'omp'] as const;
export type SourceName = (typeof sourceNames)[number];

/** Which folders each reader looks in. Undefined means the reader's own defaults (env vars, then ~). */
export interface SourceSelection {
  sources: ReadonlySet<SourceName>;
  claudeRoots: string[] | undefined;
  piRoots: string[] | undefined;
}

/** Parses `--source claude,pir` (default: all). */
export function parseSources(value: string | readonly string[] | undefined): Set<SourceName> {
  if (value == null) return new Set(sourceNames);
  const names = (typeof value === 'string' ? value.split(',') : value).map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(sourceNames as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ForgeError({
      message: `unknown source ${unknown.map((name) => `"${name}"`).join(', ')}`,
      code: 'usage',
      hint: `choose from ${sourceNames.join(', ')}`,
    });
  }
  return new Set(names as SourceName[]);
}

/**
 * Resolves `--root` values. `claude=DIR` and `pi=DIR` (also `pir=`, `omp=`) name one reader's
 * folder; a bare `DIR` is a home folder whose `.claude`, `.pi/agent/sessions` and
 * `.omp/agent/sessions` are used where they exist.
 */
export function resolveRoots(roots: readonly string[], cwd: string): { claudeRoots: string[] | undefined; piRoots: string[] | undefined } {
  if (roots.length === 0) return { claudeRoots: undefined, piRoots: undefined };
  const claudeRoots: string[] = [];
  const piRoots: string[] = [];
  for (const root of roots) {
    const match = /^(claude|pir|pi|omp)=(.+)$/u.exec(root);
    if (match != null) {
      const [, kind, folder = ''] = match;
      (kind === 'claude' ? claudeRoots : piRoots).push(resolve(cwd, folder));
      continue;
    }
    const home = resolve(cwd, root);
    if (!existsSync(home)) {
      throw new ForgeError({ message: `root folder does not exist: ${home}`, code: 'usage', hint: 'pass an existing folder to --root' });
    }
    const claude = join(home, '.claude');
    const pi = join(home, '.pi', 'agent', 'sessions');
    const omp = join(home, '.omp', 'agent', 'sessions');
    const found = [claude, pi, omp].filter((folder) => existsSync(folder));
    if (found.length === 0) {
      throw new ForgeError({
        message: `no agent sessions under ${home} (looked for .claude/, .pi/agent/sessions/, .omp/agent/sessions/)`,
        code: 'usage',
        hint: 'name a home folder, or one reader\'s folder as claude=DIR or pi=DIR',
      });
    }
    if (existsSync(claude)) claudeRoots.push(claude);
    for (const folder of [pi, omp]) if (existsSync(folder)) piRoots.push(folder);
  }
  return { claudeRoots, piRoots };
}
