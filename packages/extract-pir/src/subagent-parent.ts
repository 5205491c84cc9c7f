import { basename, dirname, join } from 'node:path';
import { readHeaderLine } from './read-header-line.js';

/** How an omp subagent session links to the session that started it. */
export interface SubagentLink {
  parentSessionId: string;
  /** The subagent file's name without `.jsonl` (omp's task id). */
  agentId: string;
}

/**
 * For an omp subagent file `<session>/<task>.jsonl`, the parent session id from the header of
 * the sibling `<session>.jsonl`; undefined for every other file.
 */
export async function findSubagentParent(path: string): Promise<{ parentPath: string; link: SubagentLink } | undefined> {
  const folder = dirname(path);
  const parentPath = join(dirname(folder), `${basename(folder)}.jsonl`);
  const header = await readHeaderLine(parentPath);
  if (header == null) return undefined;
  return { parentPath, link: { parentSessionId: header.id, agentId: basename(path, '.jsonl') } };
}
