import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isFolder } from './is-folder.js';


/**
 * The nearest `.beads/` folder at or above `cwd`, with its `redirect` followed; undefined when
 * there is none. Like bd, a redirect names one target (the first non-comment line, relative to
 * the folder holding `.beads/`) and is followed one level only (gastown-beads.md §1.2).
 */
export function findBeadsDir(cwd: string, stopAt?: string): string | undefined {
  let folder = resolve(cwd);
  for (;;) {
    const candidate = join(folder, '.beads');
    if (isFolder(candidate)) return followRedirect(candidate);
    const parent = dirname(folder);
    if (parent === folder || folder === stopAt) return undefined;
    folder = parent;
  }
}

/** A `.beads` folder's redirect target when it names an existing folder, else the folder itself. */
export function followRedirect(beadsDir: string): string {
  let text: string;
  try {
    text = readFileSync(join(beadsDir, 'redirect'), 'utf8');
  } catch {
    return beadsDir;
  }
  const target = text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#'));
  if (target == null) return beadsDir;
  const resolved = isAbsolute(target) ? resolve(target) : resolve(dirname(beadsDir), target);
  return isFolder(resolved) ? resolved : beadsDir;
}

/** The Gas Town town root at or above `cwd`: the folder holding `mayor/town.json`. */
export function findTownRoot(cwd: string): string | undefined {
  let folder = resolve(cwd);
  for (;;) {
    try {
      if (statSync(join(folder, 'mayor', 'town.json')).isFile()) return folder;
    } catch {
      // Not here.
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}
