import { createHash } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp folder; call the returned `remove` when done. */
export async function makeTempFolder(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `forge-extract-pir-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Copies a read-only fixture tree into `target` and makes the copy writable (fixtures are 0444). */
export async function copyTree(source: string, target: string): Promise<void> {
  await cp(source, target, { recursive: true });
  const walk = async (folder: string): Promise<void> => {
    await chmod(folder, 0o755);
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else await chmod(path, 0o644);
    }
  };
  await walk(target);
}

/** Every file under a folder with its size, mtime and content hash, to prove nothing was written. */
export async function snapshotTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const stats = await stat(path);
      const hash = entry.isDirectory() ? '' : createHash('sha256').update(await readFile(path)).digest('hex');
      files.set(path, entry.isDirectory() ? 'dir' : `${stats.size}:${stats.mtimeMs}:${hash}`);
      if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(root);
  return files;
}
