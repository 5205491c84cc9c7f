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

/** Lines are gathered into pieces of this many bytes before they are written. */
const pieceBytes = 1024 * 1024;

/**
 * Lines appended to a temporary file in `directory`; memory holds only offsets and the piece being
 * filled, so a dataset larger than the heap can be built. The file is deleted on `close()`.
 */
export function createFileRowStore(directory: string): RowStore {
  const path = join(directory, `.forge-rows-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const descriptor = openSync(path, 'w+', 0o600);
  /** Bytes in the file. */
  let size = 0;
  // Lines are encoded straight into the piece (no buffer per line) and written a piece at a time.
  const piece = Buffer.allocUnsafe(pieceBytes);
  let filled = 0;
  let closed = false;
  const writeAll = (bytes: Buffer, length: number): void => {
    let written = 0;
    while (written < length) written += writeSync(descriptor, bytes, written, length - written, size + written);
    size += length;
  };
  const flush = (): void => {
    if (filled === 0) return;
    writeAll(piece, filled);
    filled = 0;
  };
  return {
    put(line) {
      // UTF-8 takes at most 3 bytes per UTF-16 code unit: make room for the worst case.
      if (filled + line.length * 3 > pieceBytes) flush();
      if (line.length * 3 > pieceBytes) {
        const bytes = Buffer.from(line, 'utf8');
        const reference = { offset: size, length: bytes.length };
        writeAll(bytes, bytes.length);
        return reference;
      }
      const length = piece.write(line, filled, 'utf8');
      const reference = { offset: size + filled, length };
      filled += length;
      return reference;
    },
    get(reference) {
      return typeof reference === 'string' ? reference : this.bytes(reference).toString('utf8');
    },
    bytes(reference) {
      if (typeof reference === 'string') return Buffer.from(reference, 'utf8');
      flush();
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
