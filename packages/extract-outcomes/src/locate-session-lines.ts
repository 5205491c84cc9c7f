import { readJsonLines } from '@forge/reader-kit';

/**
 * The 1-based line of each source record id in a session file (Claude Code lines by `uuid`, pi
 * entries by `id`), so that link evidence can say file:line. Ids not found are left out.
 */
export async function locateSessionLines(file: string, sourceIds: readonly string[]): Promise<Map<string, number>> {
  const wanted = new Set(sourceIds);
  const found = new Map<string, number>();
  if (wanted.size === 0) return found;
  for await (const line of readJsonLines(file)) {
    if (line.kind !== 'value' || typeof line.value !== 'object' || line.value == null) continue;
    const record = line.value as { uuid?: unknown; id?: unknown };
    for (const id of [record.uuid, record.id]) {
      if (typeof id === 'string' && wanted.has(id) && !found.has(id)) found.set(id, line.lineNumber);
    }
    if (found.size === wanted.size) break;
  }
  return found;
}
