import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from '@forge/schema';
import { TransformError } from '../transform-error.js';

/** Plain words for the file-system errors a user can do something about. */
const errnoWords: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is where a folder should be',
  EISDIR: 'a folder is in the way of a file',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * Runs one file-system step of writing `target`; a failure becomes a {@link TransformError}
 * (`dataset-unwritable`) that names the folder and says why, instead of a raw errno.
 */
export async function describeWriteFailure<T>(target: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const errno = error as NodeJS.ErrnoException;
    if (typeof errno.code !== 'string' || !errno.code.startsWith('E')) throw error;
    const where = errno.path == null ? '' : ` at ${errno.path}`;
    throw new TransformError({
      message: `cannot write the dataset folder ${target}: ${errnoWords[errno.code] ?? errno.message} (${errno.code}${errno.syscall == null ? '' : ` ${errno.syscall}`}${where})`,
      code: 'dataset-unwritable',
      hint: 'choose a folder you can write to, or free space or fix the permissions there',
      cause: error,
    });
  }
}

/**
 * Writes a whole folder so that readers see either the old one or the complete new one: files go
 * to a temp folder beside the target, which is then renamed into place. A killed run leaves only a
 * `.forge-tmp-*` folder, never a half dataset; the next write (or {@link removeAbandonedFolders})
 * removes it.
 */
export async function writeFolderAtomically(target: string, write: (temporaryFolder: string) => Promise<void>): Promise<void> {
  const parent = dirname(target);
  await describeWriteFailure(target, () => mkdir(parent, { recursive: true }));
  await removeAbandonedFolders(target);
  const temporary = join(parent, `.forge-tmp-${basename(target)}-${process.pid}-${Date.now()}`);
  await describeWriteFailure(target, () => mkdir(temporary));
  try {
    await write(temporary);
    const previous = join(parent, `.forge-old-${basename(target)}-${process.pid}-${Date.now()}`);
    let movedAway = false;
    await describeWriteFailure(target, async () => {
      try {
        await rename(target, previous);
        movedAway = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      await rename(temporary, target);
    });
    if (movedAway) await rm(previous, { recursive: true, force: true });
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Removes the temp folders that earlier writes of `target` left when their process was killed
 * (the process id in the name is gone). Folders of a write still running are left alone.
 */
export async function removeAbandonedFolders(target: string): Promise<string[]> {
  const parent = dirname(target);
  const pattern = new RegExp(`^\\.forge-(?:tmp|old)-${basename(target).replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}-(\\d+)-\\d+$`, 'u');
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) {
      await rm(join(parent, entry), { recursive: true, force: true });
      removed.push(join(parent, entry));
    }
  }
  return removed;
}
