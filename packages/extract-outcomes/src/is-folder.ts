import { statSync } from 'node:fs';

/** Whether `path` is an existing folder (a missing or unreadable path is not). */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
