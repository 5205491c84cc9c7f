import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a whole folder so that readers see either the old one or the complete new one: files go
 * to a temp folder beside the target, which is then renamed into place. A killed run leaves only a
 * `.forge-tmp-*` folder, never a half dataset.
 */
export async function writeFolderAtomically(target: string, write: (temporaryFolder: string) => Promise<void>): Promise<void> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  await removeAbandonedFolders(parent, basename(target));
  const temporary = join(parent, `.forge-tmp-${basename(target)}-${process.pid}-${Date.now()}`);
  await mkdir(temporary);
  try {
    await write(temporary);
    const previous = join(parent, `.forge-old-${basename(target)}-${process.pid}-${Date.now()}`);
    let movedAway = false;
    try {
      await rename(target, previous);
      movedAway = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await rename(temporary, target);
    if (movedAway) await rm(previous, { recursive: true, force: true });
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

/** Writes one text file inside the folder being built. */
export async function writeTextFile(folder: string, relativePath: string, text: string): Promise<void> {
  const path = join(folder, relativePath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Removes temp folders of earlier runs that were killed (their process is gone). */
async function removeAbandonedFolders(parent: string, name: string): Promise<void> {
  const pattern = new RegExp(`^\\.forge-(?:tmp|old)-${name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}-(\\d+)-\\d+$`, 'u');
  for (const entry of await readdir(parent)) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) await rm(join(parent, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
