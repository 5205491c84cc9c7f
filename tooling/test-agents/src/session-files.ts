import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every `*.jsonl` file under a folder, recursively, sorted by path; an absent folder gives []. */
export async function listSessionFiles(root: string, extension = '.jsonl'): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The JSON values of a JSONL file's lines (blank lines skipped). For test assertions, not a parser. */
export async function readJsonlRecords(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
