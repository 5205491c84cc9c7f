import { randomBytes } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { type forgeEntryTypes, type SyntheticTag } from '@forge/schema';

const syntheticEntryType: typeof forgeEntryTypes.synthetic = 'forge.synthetic';

/**
 * Appends the run's synthetic tag to the session file the program wrote (after it exited), as a
 * pi-family `custom` entry `forge.synthetic` on the active branch — so the tag travels with the
 * file into any later `forge run`, not only in `sessions.jsonl`. The file is one this batch
 * created under its own `--session-dir`; no other file is ever written. Returns false when the
 * file has no entry to hang it on.
 */
export async function appendSyntheticEntry(file: string, tag: SyntheticTag): Promise<boolean> {
  const text = await readFile(file, 'utf8');
  const ids = new Set<string>();
  let leafId: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as { type?: unknown; id?: unknown };
      if (record.type !== 'session' && record.type !== 'title' && typeof record.id === 'string') {
        ids.add(record.id);
        leafId = record.id;
      }
    } catch {
      // A torn line is the reader's to report; the tag hangs on the last whole entry.
    }
  }
  if (leafId == null) return false;
  let id = randomBytes(4).toString('hex');
  while (ids.has(id)) id = randomBytes(4).toString('hex');
  const entry = { type: 'custom', customType: syntheticEntryType, data: tag, id, parentId: leafId, timestamp: new Date().toISOString() };
  await appendFile(file, `${text.endsWith('\n') || text === '' ? '' : '\n'}${JSON.stringify(entry)}\n`);
  return true;
}
