import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Files up to this size are best read whole, in one call: a file handle's open, stat, reads and
 * close cost more than the read itself for the many small files of a home, and a reader's two
 * passes can then split the same buffer (`rawLineBatchesOf`). Larger files are streamed.
 */
export const WHOLE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * The bytes of a file that holds at most `maxBytes`, else undefined. Synchronous: one open, one
 * read, one close (and an fstat when `size` is not known). The read asks for one byte more than
 * the size, so a file that grew since its size was taken is read on to its current end, never cut
 * (the caller tells it changed by `bytes.length !== size`). Throws as `openSync` and `readSync` do.
 */
export function readFileUpTo(path: string, maxBytes: number, size?: number): Buffer | undefined {
  if (size != null && size > maxBytes) return undefined;
  const descriptor = openSync(path, 'r');
  try {
    const expected = size ?? fstatSync(descriptor).size;
    if (expected > maxBytes) return undefined;
    let buffer = Buffer.allocUnsafe(expected + 1);
    let length = 0;
    for (;;) {
      length += readSync(descriptor, buffer, length, buffer.length - length, length);
      // A short read of a regular file is its end; a full buffer means the file grew: read on.
      if (length < buffer.length) return buffer.subarray(0, length);
      const larger = Buffer.allocUnsafe(2 * buffer.length);
      buffer.copy(larger, 0, 0, length);
      buffer = larger;
    }
  } finally {
    closeSync(descriptor);
  }
}

/**
 * A file's bytes, read whole when it is small (up to `WHOLE_FILE_BYTES`); undefined for a larger
 * one, which the caller streams (`readRawLineBatches`). Synchronous, one open, one read and one
 * close (`readFileUpTo`): for the many small files of a home, a file handle's async round trips,
 * an fstat and a second read to find the end cost more than the read itself. `size` (known from
 * discovery) saves the fstat. `onWholeRead` gets the bytes (a caller that fingerprints the file
 * hashes them instead of reading it again). Throws as `openSync` and `readSync` do.
 */
export function readSmallFile(path: string, size?: number, onWholeRead?: (bytes: Buffer) => void): Buffer | undefined {
  const bytes = readFileUpTo(path, WHOLE_FILE_BYTES, size);
  if (bytes != null) onWholeRead?.(bytes);
  return bytes;
}
