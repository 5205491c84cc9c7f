import { open } from 'node:fs/promises';
import { headRecords, readJsonLineBatches } from '@forge/reader-kit';
import { findHeader, type HeaderRecords } from './pi-header.js';

/** A file's session header as discovery needs it. */
export interface HeaderLine extends HeaderRecords {
  id: string;
  cwd: string;
}

const HEAD_BYTES = 64 * 1024;

/** The header of a pi-family file from its first 64 KiB (after omp's title slot), or undefined. */
export async function readHeaderLine(path: string): Promise<HeaderLine | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.allocUnsafe(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    // Only the first three records are decoded, not the whole window.
    const found = findHeader(headRecords(buffer.subarray(0, bytesRead), 3).values);
    if (found != null) return headerLine(found);
    // A header cut by the window (omp headers can list many previous files): read it whole.
    return bytesRead === buffer.length ? await readHeaderSlowly(path) : undefined;
  } finally {
    await handle.close();
  }
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
