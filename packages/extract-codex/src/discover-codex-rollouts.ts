import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type DiscoverOptions, type SourceFile } from '@forge/reader-kit';
import { codexHome, rolloutFolders } from './codex-roots.js';

/**
 * `rollout-<time>-<id>.jsonl`, the only files Codex reads back as sessions, and its zstd-compressed
 * `.jsonl.zst` form (codex.md §1.1, §1.2).
 */
const rolloutName = /^rollout-.+\.jsonl(?:\.zst)?$/u;
const COMPRESSED_SUFFIX = '.zst';

async function listRollouts(root: string, onWarning: DiscoverOptions['onWarning']): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') onWarning?.({ file: root, kind: 'unreadable-file', message: `cannot list the folder: ${(error as Error).message}` });
    return [];
  }
  const paths = entries.filter((entry) => entry.isFile() && rolloutName.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  const listed = new Set(paths);
  // One rollout, one file: a plain sibling wins over its compressed copy, as in Codex (`should_skip_compressed_sibling`).
  return paths.filter((path) => !path.endsWith(COMPRESSED_SUFFIX) || !listed.has(path.slice(0, -COMPRESSED_SUFFIX.length)));
}

/**
 * Every rollout under the roots (default `$CODEX_HOME/sessions` and `$CODEX_HOME/archived_sessions`),
 * plain or zstd-compressed (a compressed one only when its plain sibling is gone), sorted by path: date folders and time-stamped names make that the order Codex wrote them.
 */
export async function* discoverCodexRollouts(options: DiscoverOptions = {}): AsyncGenerator<SourceFile> {
  const roots = options.roots ?? rolloutFolders(codexHome(options.env ?? process.env, options.homeDirectory));
  const paths = new Set<string>();
  for (const root of roots) for (const path of await listRollouts(root, options.onWarning)) paths.add(path);
  for (const path of [...paths].sort()) {
    try {
      const facts = await stat(path);
      yield { path, source: 'codex', size: facts.size, mtimeMs: facts.mtimeMs };
    } catch (error) {
      options.onWarning?.({ file: path, kind: 'unreadable-file', message: `cannot stat the rollout: ${(error as Error).message}` });
    }
  }
}
