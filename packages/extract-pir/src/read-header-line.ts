import { closeSync, openSync, readSync } from 'node:fs';
import { headRecords, readJsonLineBatches, type HeadRecords } from '@forge/reader-kit';
import { findHeader, type HeaderRecords } from './pi-header.js';

/** A file's session header as discovery needs it. */
export interface HeaderLine extends HeaderRecords {
  id: string;
  cwd: string;
}

/** Most headers and first entries fit here: the 64 KiB window is read only when they do not. */
const FIRST_BYTES = 4 * 1024;
const HEAD_BYTES = 64 * 1024;

/**
 * The header of a pi-family file from its first 64 KiB (after omp's title slot), or undefined.
 * Synchronous reads: discovery reads thousands of small heads, where a thread-pool round trip per
 * open, read and close costs more than the read; the first 4 KiB usually answer.
 */
export async function readHeaderLine(path: string): Promise<HeaderLine | undefined> {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch {
    return undefined;
  }
  let head: HeadRecords;
  let whole: boolean;
  try {
    let window = readWindow(descriptor, FIRST_BYTES);
    head = headRecords(window, 3);
    // Only complete records decide: a first entry cut by the small window is read again in the large one.
    if (head.values.length < 3 && window.length === FIRST_BYTES) {
      window = readWindow(descriptor, HEAD_BYTES);
      head = headRecords(window, 3);
    }
    whole = window.length < HEAD_BYTES;
  } finally {
    closeSync(descriptor);
  }
  // Only the first three records are decoded, not the whole window.
  const found = findHeader(head.values);
  if (found != null) return headerLine(found);
  // A header cut by the window (omp headers can list many previous files): read it whole.
  return whole ? undefined : await readHeaderSlowly(path);
}

/** One buffer for every window: the reads are synchronous, and what is decoded from a window never points into it. */
const windowBuffer = Buffer.allocUnsafe(HEAD_BYTES);

/** Up to `bytes` bytes from the start of the file (fewer when the file is shorter), in the shared window buffer. */
function readWindow(descriptor: number, bytes: number): Buffer {
  const buffer = windowBuffer;
  let read = 0;
  for (let count = -1; count !== 0 && read < bytes; read += count) count = readSync(descriptor, buffer, read, bytes - read, read);
  return buffer.subarray(0, read);
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
