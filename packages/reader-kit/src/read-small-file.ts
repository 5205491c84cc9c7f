import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { WHOLE_FILE_BYTES } from './read-raw-line-batches.js';

/**
 * A file's bytes, read whole when it is small (up to `WHOLE_FILE_BYTES`); undefined for a larger
 * one, which the caller streams (`readRawLineBatches`). Synchronous, one open, one read and one
 * close: for the many small files of a home, a file handle's async round trips, an fstat and a
 * second read to find the end cost more than the read itself. `size` (known from discovery) saves
 * the fstat; the read asks for one byte more than it, so a file that grew since is read to its
 * current end, never cut (the caller tells it changed by `bytes.length !== size`). `onWholeRead`
 * gets the bytes (a caller that fingerprints the file hashes them instead of reading it again).
 * Throws as `openSync` and `readSync` do.
 */
export function readSmallFile(path: string, size?: number, onWholeRead?: (bytes: Buffer) => void): Buffer | undefined {
  if (size != null && size > WHOLE_FILE_BYTES) return undefined;
  const descriptor = openSync(path, 'r');
  let bytes: Buffer;
  try {
    const expected = size ?? fstatSync(descriptor).size;
    if (expected > WHOLE_FILE_BYTES) return undefined;
    let buffer = Buffer.allocUnsafe(expected + 1);
    let length = 0;
    for (;;) {
      const count = readSync(descriptor, buffer, length, buffer.length - length, length);
      length += count;
      // A short read of a regular file is its end; a full buffer means the file grew: read on.
      if (length < buffer.length) break;
      const larger = Buffer.allocUnsafe(2 * buffer.length);
      buffer.copy(larger, 0, 0, length);
      buffer = larger;
    }
    bytes = buffer.subarray(0, length);
  } finally {
    closeSync(descriptor);
  }
  onWholeRead?.(bytes);
  return bytes;
}
