import { FILE_HEAD_BYTES, headRecords, readFileHeadSync, readJsonLineBatches, type HeadRecords } from '@forge/reader-kit';
import { findHeader, type HeaderRecords } from './pi-header.js';

/** A file's session header as discovery needs it. */
export interface HeaderLine extends HeaderRecords {
  id: string;
  cwd: string;
}

/** Most headers and first entries fit here: the 64 KiB window is read only when they do not. */
const FIRST_BYTES = 4 * 1024;

/** The header of a pi-family file from its first 64 KiB (after omp's title slot), or undefined (none, or the file cannot be opened). */
export async function readHeaderLine(path: string): Promise<HeaderLine | undefined> {
  const found = await readHeaderOf(path);
  return typeof found === 'string' ? undefined : found;
}

/**
 * {@link readHeaderLine}, telling a file whose first records hold no header (`none`) from one that
 * cannot be opened (`unopened`: gone since it was listed, no permission), which may open next time.
 * Synchronous reads: discovery reads thousands of small heads, where a thread-pool round trip per
 * open, read and close costs more than the read; the first 4 KiB usually answer.
 */
export async function readHeaderOf(path: string): Promise<HeaderLine | 'none' | 'unopened'> {
  let head: HeadRecords;
  let whole: boolean;
  try {
    let window = readFileHeadSync(path, FIRST_BYTES);
    head = headRecords(window, 3);
    // Only complete records decide: a first entry cut by the small window is read again in the large one.
    if (head.values.length < 3 && window.length === FIRST_BYTES) {
      window = readFileHeadSync(path);
      head = headRecords(window, 3);
    }
    whole = window.length < FILE_HEAD_BYTES;
  } catch (error) {
    // A file that cannot be opened (gone since it was listed, no permission) has no header; a read error is the caller's.
    if ((error as NodeJS.ErrnoException).syscall === 'open') return 'unopened';
    throw error;
  }
  // Only the first three records are decoded, not the whole window.
  const found = findHeader(head.values);
  if (found != null) return headerLine(found);
  // A header cut by the window (omp headers can list many previous files): read it whole.
  return (whole ? undefined : await readHeaderSlowly(path)) ?? 'none';
}

/** A header line longer than the 64 KiB window (omp can list many previous files): stream it. */
async function readHeaderSlowly(path: string): Promise<HeaderLine | undefined> {
  const records: unknown[] = [];
  reading: for await (const batch of readJsonLineBatches(path)) {
    for (const record of batch) {
      if (record.kind !== 'value' || typeof record.value !== 'object' || record.value == null || Array.isArray(record.value)) break reading;
      records.push(record.value);
      if (records.length === 3) break reading;
    }
  }
  const found = findHeader(records);
  return found == null ? undefined : headerLine(found);
}

function headerLine(found: HeaderRecords): HeaderLine {
  const { header } = found;
  return { ...found, id: header.id as string, cwd: typeof header.cwd === 'string' ? header.cwd : '' };
}
