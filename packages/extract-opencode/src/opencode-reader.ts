import { basename, join } from 'node:path';
import { withDetail, type SessionSourceReader } from '@forge/reader-kit';
import { discoverOpencodeDatabases, isOpencodeDatabaseName } from './discover-opencode-databases.js';
import { readOpencodeDatabase } from './read-opencode-database.js';

const sqliteMagic = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether a file is an OpenCode database: an SQLite file named like one (opencode.md §1.2). */
export function isOpencodeDatabase(head: Buffer, path: string): boolean {
  return head.subarray(0, sqliteMagic.length).equals(sqliteMagic) && isOpencodeDatabaseName(basename(path));
}

/** The OpenCode reader: every session of its SQLite database (`XDG_DATA_HOME`, `OPENCODE_DB` honoured). */
export const opencodeReader: SessionSourceReader = {
  name: 'opencode',
  sources: ['opencode'],
  aliases: { 'opencode-ai': 'opencode' },
  homeRoots: (home) => [join(home, '.local', 'share', 'opencode')],
  discover: (options) => discoverOpencodeDatabases(options),
  detect: (head, path) => (isOpencodeDatabase(head, path) ? 'opencode' : undefined),
  readFile: (file, options) => withDetail(readOpencodeDatabase(file, options), options?.detail),
};
