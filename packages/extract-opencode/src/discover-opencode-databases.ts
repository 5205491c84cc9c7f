import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type DiscoverOptions, type SourceFile } from '@forge/reader-kit';
import { configuredDatabase, opencodeDataDir } from './opencode-roots.js';

/** `opencode.db` (the `latest`/`beta` channels) and `opencode-<channel>.db` (the others), opencode.md §1.2. */
const databaseName = /^opencode(?:-[A-Za-z0-9._-]+)?\.db$/u;

/** Whether a file name is an OpenCode database's. */
export function isOpencodeDatabaseName(name: string): boolean {
  return databaseName.test(name);
}

async function databasesIn(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.filter((entry) => entry.isFile() && isOpencodeDatabaseName(entry.name)).map((entry) => join(folder, entry.name));
  } catch {
    return [];
  }
}

/**
 * Every OpenCode database under the roots (default: the data folder, `XDG_DATA_HOME` honoured,
 * plus the file `OPENCODE_DB` names), in path order. One file holds every session of that install.
 */
export async function* discoverOpencodeDatabases(options: DiscoverOptions = {}): AsyncGenerator<SourceFile> {
  const env = options.env ?? process.env;
  const dataDir = opencodeDataDir(env, options.homeDirectory);
  const paths = new Set<string>();
  for (const root of options.roots ?? [dataDir]) for (const path of await databasesIn(root)) paths.add(path);
  const configured = options.roots == null ? configuredDatabase(env, dataDir) : undefined;
  if (configured != null) paths.add(configured);
  for (const path of [...paths].sort()) {
    try {
      const facts = await stat(path);
      yield { path, source: 'opencode', size: facts.size, mtimeMs: facts.mtimeMs };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onWarning?.({ file: path, kind: 'unreadable-file', message: `cannot stat the database: ${(error as Error).message}` });
    }
  }
}
