import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** How much of a file `detect` sees: enough for any reader's first record, little enough to read for every file. */
export const FILE_HEAD_BYTES = 64 * 1024;

/** The first `bytes` of a file (fewer when it is shorter): what a `SessionSourceReader.detect` is given. */
export async function readFileHead(path: string, bytes = FILE_HEAD_BYTES): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * {@link readFileHead} without the thread pool: for discovery's thousands of small heads, where a
 * round trip per open, read and close costs more than the read. Throws as `openSync` does.
 */
export function readFileHeadSync(path: string, bytes = FILE_HEAD_BYTES): Buffer {
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(bytes);
    let read = 0;
    for (let count = -1; count !== 0 && read < bytes; read += count) count = readSync(descriptor, buffer, read, bytes - read, read);
    return buffer.subarray(0, read);
  } finally {
    closeSync(descriptor);
  }
}
