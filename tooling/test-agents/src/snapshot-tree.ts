import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every file and folder under `root` with its size and mtime, to prove a reader wrote nothing:
 * any write shows up as a difference between two snapshots.
 */
export async function snapshotTree(root: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    entries.set(path, `${entry.isDirectory() ? 'dir' : 'file'}:${info.size}:${info.mtimeMs}`);
  }
  return entries;
}
