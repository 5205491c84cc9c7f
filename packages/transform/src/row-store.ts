import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Where a stored line is: the line itself (memory) or its place in the spill file. */
export type RowReference = string | { offset: number; length: number };

/** Holds emitted lines between `addSession` and `finish()`. */
export interface RowStore {
  put(line: string): RowReference;
  get(reference: RowReference): string;
  /** The line as UTF-8, as a file is written: a spilled line is read, not decoded and encoded again. */
  bytes(reference: RowReference): Buffer;
  /** Releases the store (deletes a spill file). */
  close(): void;
}

/** Lines kept as strings: simplest, memory grows with the dataset. */
export function createMemoryRowStore(): RowStore {
  return {
    put: (line) => line,
    get: (reference) => {
      if (typeof reference !== 'string') throw new TypeError('a memory row store holds strings only');
      return reference;
    },
    bytes(reference) {
      if (typeof reference !== 'string') throw new TypeError('a memory row store holds strings only');
      return Buffer.from(reference, 'utf8');
    },
    close: () => undefined,
  };
}

/**
 * Lines appended to a temporary file in `directory`; memory holds only offsets, so a dataset
 * larger than the heap can be built. The file is deleted on `close()`.
 */
export function createFileRowStore(directory: string): RowStore {
  const path = join(directory, `.forge-rows-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const descriptor = openSync(path, 'w+', 0o600);
  let size = 0;
  let closed = false;
  return {
    put(line) {
      const bytes = Buffer.from(line, 'utf8');
      let written = 0;
      while (written < bytes.length) written += writeSync(descriptor, bytes, written, bytes.length - written, size + written);
      const reference = { offset: size, length: bytes.length };
      size += bytes.length;
      return reference;
    },
    get(reference) {
      return typeof reference === 'string' ? reference : this.bytes(reference).toString('utf8');
    },
    bytes(reference) {
      if (typeof reference === 'string') return Buffer.from(reference, 'utf8');
      const bytes = Buffer.allocUnsafe(reference.length);
      let read = 0;
      while (read < reference.length) {
        const count = readSync(descriptor, bytes, read, reference.length - read, reference.offset + read);
        if (count === 0) throw new RangeError(`the row spill file ${path} ended early`);
        read += count;
      }
      return bytes;
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(descriptor);
      rmSync(path, { force: true });
    },
  };
}
