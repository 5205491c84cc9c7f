import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * Where a stored line is: the line itself (memory), or its place in a spill file (`file`: which
 * file the store read it from, see {@link RowStore.adopt}; none: the store's own).
 */
export type RowReference = string | { offset: number; length: number; file?: number };

/** Holds emitted lines between `addSession` and `finish()`. */
export interface RowStore {
  /** True when `put` writes lines out of memory (a file): a merge then keeps its per-session bookkeeping there too. */
  readonly spills?: boolean;
  put(line: string): RowReference;
  get(reference: RowReference): string;
  /** The line as UTF-8, as a file is written: a spilled line is read, not decoded and encoded again. */
  bytes(reference: RowReference): Buffer;
  /**
   * A line another thread put in its {@link ThreadRowSpill} (`path`, its `file`) as this store's
   * reference: a file store reads it where it is (nothing is copied), a memory store reads it in.
   * Any range of a file can be adopted: a kept file (a cache's segment, outside the store's
   * folder) is read in place and never deleted.
   */
  adopt(path: string, reference: RowReference): RowReference;
  /** Releases the store (deletes a spill file, and the adopted files in its own folder). */
  close(): void;
}

/** Lines kept as strings: simplest, memory grows with the dataset. */
export function createMemoryRowStore(): RowStore {
  return {
    spills: false,
    put: (line) => line,
    get: (reference) => {
      if (typeof reference !== 'string') throw new TypeError('a memory row store holds strings only');
      return reference;
    },
    bytes(reference) {
      if (typeof reference !== 'string') throw new TypeError('a memory row store holds strings only');
      return Buffer.from(reference, 'utf8');
    },
    adopt(path, reference) {
      if (typeof reference === 'string') return reference;
      const descriptor = openSync(path, 'r');
      try {
        return readRange(descriptor, reference, path).toString('utf8');
      } finally {
        closeSync(descriptor);
      }
    },
    close: () => undefined,
  };
}

/** Lines are gathered into pieces of this many bytes before they are written. */
const pieceBytes = 1024 * 1024;

/**
 * Lines appended to a temporary file in `directory`; memory holds only offsets and the piece being
 * filled, so a dataset larger than the heap can be built. Lines other threads spilled are read
 * from their files ({@link RowStore.adopt}). On `close()` the store's file is deleted, and so is
 * every adopted file in `directory` (a run's thread spills); an adopted file elsewhere is another
 * owner's (a cache's kept segment) and stays.
 */
export function createFileRowStore(directory: string): RowStore {
  const path = join(directory, `.forge-rows-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const descriptor = openSync(path, 'w+', 0o600);
  /** Other threads' spill files by path: their index in `adopted` (a reference's `file` is that index + 1). */
  const adoptedIndex = new Map<string, number>();
  const adopted: { path: string; descriptor: number }[] = [];
  const writer = createPieceWriter((bytes) => {
    let written = 0;
    while (written < bytes.length) written += writeSync(descriptor, bytes, written, bytes.length - written);
  });
  let closed = false;
  return {
    spills: true,
    put: (line) => writer.put(line),
    get(reference) {
      return typeof reference === 'string' ? reference : this.bytes(reference).toString('utf8');
    },
    bytes(reference) {
      if (typeof reference === 'string') return Buffer.from(reference, 'utf8');
      if (reference.file == null) {
        writer.flush();
        return readRange(descriptor, reference, path);
      }
      const source = adopted[reference.file - 1]!;
      return readRange(source.descriptor, reference, source.path);
    },
    adopt(from, reference) {
      if (typeof reference === 'string') return reference;
      let index = adoptedIndex.get(from);
      if (index == null) {
        index = adopted.push({ path: from, descriptor: openSync(from, 'r') }) - 1;
        adoptedIndex.set(from, index);
      }
      return { offset: reference.offset, length: reference.length, file: index + 1 };
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(descriptor);
      rmSync(path, { force: true });
      for (const source of adopted) {
        closeSync(source.descriptor);
        if (dirname(resolve(source.path)) === resolve(directory)) rmSync(source.path, { force: true });
      }
    },
  };
}

/**
 * One thread's rows, appended to its own file in `directory` a unit at a time (`flush()`), for the
 * merging thread to adopt by reference ({@link RowStore.adopt}): rows never cross threads as text.
 * No descriptor stays open (a worker ends without closing anything); the merging store deletes the file.
 */
export interface ThreadRowSpill extends RowStore {
  /** The spill file: what the merging thread adopts references from. */
  readonly path: string;
  /** Bytes put so far (flushed or not): the offset the next line will have. */
  readonly size: number;
  /** Writes the lines put since the last flush: they can be read from `path` once this returns. */
  flush(): void;
}

/** A new {@link ThreadRowSpill} for this thread in `directory`. */
export function createThreadRowSpill(directory: string): ThreadRowSpill {
  const path = join(directory, `.forge-rows-${process.pid}-${threadId}-${randomBytes(6).toString('hex')}.tmp`);
  const writer = createPieceWriter((bytes) => appendFileSync(path, bytes, { mode: 0o600 }));
  const spill: ThreadRowSpill = {
    spills: true,
    path,
    get size() {
      return writer.size();
    },
    flush: () => writer.flush(),
    put: (line) => writer.put(line),
    get: (reference) => spill.bytes(reference).toString('utf8'),
    bytes(reference) {
      if (typeof reference === 'string') return Buffer.from(reference, 'utf8');
      writer.flush();
      const descriptor = openSync(path, 'r');
      try {
        return readRange(descriptor, reference, path);
      } finally {
        closeSync(descriptor);
      }
    },
    adopt: (from, reference) => createMemoryRowStore().adopt(from, reference),
    close: () => writer.flush(),
  };
  return spill;
}

/**
 * Lines encoded straight into a piece of {@link pieceBytes} (no buffer per line), handed to `write`
 * a piece at a time (a line bigger than a piece on its own), each at the offset it will have in the file.
 */
function createPieceWriter(write: (bytes: Buffer) => void): { put(line: string): { offset: number; length: number }; flush(): void; size(): number } {
  /** Bytes written. */
  let size = 0;
  let piece: Buffer | undefined;
  let filled = 0;
  const flush = (): void => {
    if (filled === 0) return;
    write(piece!.subarray(0, filled));
    size += filled;
    filled = 0;
  };
  return {
    put(line) {
      // UTF-8 takes at most 3 bytes per UTF-16 code unit: make room for the worst case.
      if (filled + line.length * 3 > pieceBytes) flush();
      if (line.length * 3 > pieceBytes) {
        const bytes = Buffer.from(line, 'utf8');
        write(bytes);
        size += bytes.length;
        return { offset: size - bytes.length, length: bytes.length };
      }
      piece ??= Buffer.allocUnsafe(pieceBytes);
      const length = piece.write(line, filled, 'utf8');
      const reference = { offset: size + filled, length };
      filled += length;
      return reference;
    },
    flush,
    size: () => size + filled,
  };
}

/** The bytes of one stored line. */
function readRange(descriptor: number, reference: { offset: number; length: number }, path: string): Buffer {
  const bytes = Buffer.allocUnsafe(reference.length);
  let read = 0;
  while (read < reference.length) {
    const count = readSync(descriptor, bytes, read, reference.length - read, reference.offset + read);
    if (count === 0) throw new RangeError(`the row spill file ${path} ended early`);
    read += count;
  }
  return bytes;
}
