import { open, type FileHandle } from 'node:fs/promises';
import { CompressedFileError } from './compressed-file-error.js';
import { decompressZstd, isZstd } from './decompress-zstd.js';
import { GrowableTypedArray } from './growable-typed-array.js';
import { readFileUpTo } from './read-small-file.js';

/** Options of the line readers. */
export interface ReadLinesOptions {
  /** Lines longer than this are reported with `tooLong` instead of being kept. Default 512 MiB (V8's string limit). */
  maxLineBytes?: number;
  /** Byte offset to start at; must be the start of a line. */
  start?: number;
  /** Byte offset to stop before (exclusive); a line that starts before it is read whole. */
  end?: number;
  /** Read size. Default 1 MiB (smaller for smaller files). */
  chunkBytes?: number;
}

/**
 * The lines of one chunk read, as byte ranges that are decoded only when asked. A reader that
 * needs a few bytes of most lines (a first pass over tree links) then pays for those bytes only.
 * The batch and everything it points into are reused: it is valid until the next batch is asked for.
 */
export interface RawLineBatch {
  /** Number of lines in the batch (empty lines are skipped but counted in line numbers). */
  readonly count: number;
  /** 1-based line number of line `index`, counted from `start`. */
  lineNumber(index: number): number;
  /** Byte offset of the line's first byte in the file. */
  byteOffset(index: number): number;
  /** The line's length in bytes, without the newline. */
  byteLength(index: number): number;
  /** False only for a last line with no trailing newline. */
  terminated(index: number): boolean;
  /** The line exceeded `maxLineBytes`; its bytes were not kept. */
  tooLong(index: number): boolean;
  /** The line decoded as UTF-8, without a trailing carriage return ('' for a too-long line). */
  text(index: number): string;
  /** At most the first `maxBytes` bytes, decoded as latin1: for matching an ASCII prefix cheaply. */
  head(index: number, maxBytes: number): string;
  /** The line's bytes, undecoded (a view, not a copy; empty for a too-long line): for readers that walk them. */
  bytes(index: number): Buffer;
  /** Whether the line starts with these bytes (nothing is decoded or allocated). */
  startsWith(index: number, prefix: Uint8Array): boolean;
  /**
   * The buffer that holds the line's bytes, from `sourceStart(index)` for `byteLength(index)` bytes
   * (plus a trailing carriage return, if any): for readers that walk a line without a copy or a view.
   */
  source(index: number): Buffer;
  sourceStart(index: number): number;
}

const NEWLINE = 10;
const EMPTY = Buffer.alloc(0);
const CARRIAGE_RETURN = 13;
const DEFAULT_MAX_LINE_BYTES = 512 * 1024 * 1024 - 64;
const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const TERMINATED = 1;
const TOO_LONG = 2;

/** Column storage of one batch; grows by doubling and is reused from chunk to chunk. */
class ChunkLines implements RawLineBatch {
  count = 0;
  private chunk: Buffer = Buffer.alloc(0);
  private readonly starts = new GrowableTypedArray((length) => new Int32Array(length));
  private readonly ends = new GrowableTypedArray((length) => new Int32Array(length));
  private readonly numbers = new GrowableTypedArray((length) => new Float64Array(length));
  private readonly offsets = new GrowableTypedArray((length) => new Float64Array(length));
  private readonly lengths = new GrowableTypedArray((length) => new Float64Array(length));
  private readonly flags = new GrowableTypedArray((length) => new Uint8Array(length));
  /** Lines that began in an earlier chunk, copied whole (the read buffers are reused). */
  private spanning = new Map<number, Buffer>();

  /** `from`: where the split part starts in `chunk` (line positions are relative to it). */
  reset(chunk: Buffer, from = 0): void {
    this.chunk = from === 0 ? chunk : chunk.subarray(from);
    this.count = 0;
    if (this.spanning.size > 0) this.spanning = new Map();
  }

  add(lineNumber: number, byteOffset: number, byteLength: number, flags: number, start: number, end: number, copy: Buffer | undefined): void {
    const index = this.count++;
    if (index === this.starts.data.length) for (const column of [this.starts, this.ends, this.numbers, this.offsets, this.lengths, this.flags]) column.reserve(index + 1);
    this.starts.data[index] = start;
    this.ends.data[index] = end;
    this.numbers.data[index] = lineNumber;
    this.offsets.data[index] = byteOffset;
    this.lengths.data[index] = byteLength;
    this.flags.data[index] = flags;
    if (copy != null) this.spanning.set(index, copy);
  }

  lineNumber(index: number): number {
    return this.numbers.data[index] ?? 0;
  }

  byteOffset(index: number): number {
    return this.offsets.data[index] ?? 0;
  }

  byteLength(index: number): number {
    return this.lengths.data[index] ?? 0;
  }

  terminated(index: number): boolean {
    return ((this.flags.data[index] ?? 0) & TERMINATED) !== 0;
  }

  tooLong(index: number): boolean {
    return ((this.flags.data[index] ?? 0) & TOO_LONG) !== 0;
  }

  text(index: number): string {
    if (this.tooLong(index)) return '';
    const copy = this.spanning.get(index);
    const source = copy ?? this.chunk;
    const start = copy == null ? (this.starts.data[index] ?? 0) : 0;
    let end = copy == null ? (this.ends.data[index] ?? 0) : copy.length;
    if (end > start && source[end - 1] === CARRIAGE_RETURN) end -= 1;
    return source.toString('utf8', start, end);
  }

  bytes(index: number): Buffer {
    if (this.tooLong(index)) return Buffer.alloc(0);
    const copy = this.spanning.get(index);
    if (copy != null) return copy;
    return this.chunk.subarray(this.starts.data[index] ?? 0, this.ends.data[index] ?? 0);
  }

  source(index: number): Buffer {
    if (this.tooLong(index)) return EMPTY;
    return this.spanning.size === 0 ? this.chunk : (this.spanning.get(index) ?? this.chunk);
  }

  sourceStart(index: number): number {
    return this.spanning.size !== 0 && this.spanning.has(index) ? 0 : (this.starts.data[index] ?? 0);
  }

  startsWith(index: number, prefix: Uint8Array): boolean {
    if (this.tooLong(index) || (this.lengths.data[index] ?? 0) < prefix.length) return false;
    const copy = this.spanning.get(index);
    const source = copy ?? this.chunk;
    const start = copy == null ? (this.starts.data[index] ?? 0) : 0;
    for (let position = 0; position < prefix.length; position += 1) if (source[start + position] !== prefix[position]) return false;
    return true;
  }

  head(index: number, maxBytes: number): string {
    if (this.tooLong(index)) return '';
    const copy = this.spanning.get(index);
    const source = copy ?? this.chunk;
    const start = copy == null ? (this.starts.data[index] ?? 0) : 0;
    const end = copy == null ? (this.ends.data[index] ?? 0) : copy.length;
    return source.toString('latin1', start, Math.min(end, start + maxBytes));
  }

}

/**
 * Splits consecutive chunks of one file into lines (the byte offsets count from `start`). Lines that
 * span chunks are copied whole, since the chunk buffers are reused.
 */
class LineSplitter {
  lineNumber = 0;
  lineStart: number;
  /** Bytes of the current line that are not yet terminated, carried across chunks (copied: buffers are reused). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overLimit = false;

  constructor(
    start: number,
    private readonly maxLineBytes: number,
    private readonly end: number,
  ) {
    this.lineStart = start;
  }

  /** Whether the range's end was reached. */
  get done(): boolean {
    return this.lineStart >= this.end;
  }

  /** Adds the lines that end in `chunk` to `batch`; true when the range's end was reached. */
  split(chunk: Buffer, batch: ChunkLines): boolean {
    let cursor = 0;
    while (cursor < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, cursor);
      if (newline === -1) {
        this.pendingBytes += chunk.length - cursor;
        if (this.pendingBytes > this.maxLineBytes) {
          this.overLimit = true;
          this.pending = [];
        } else {
          this.pending.push(Buffer.from(chunk.subarray(cursor)));
        }
        return false;
      }
      const bytes = this.pendingBytes + newline - cursor;
      this.lineNumber += 1;
      if (bytes > this.maxLineBytes) this.overLimit = true;
      if (this.overLimit) batch.add(this.lineNumber, this.lineStart, bytes, TERMINATED | TOO_LONG, 0, 0, undefined);
      else if (this.pending.length > 0) batch.add(this.lineNumber, this.lineStart, bytes, TERMINATED, 0, 0, Buffer.concat([...this.pending, chunk.subarray(cursor, newline)]));
      // An empty line is not in the batch but still counts for line numbers.
      else if (bytes > 0) batch.add(this.lineNumber, this.lineStart, bytes, TERMINATED, cursor, newline, undefined);
      this.lineStart += bytes + 1;
      this.pending = [];
      this.pendingBytes = 0;
      this.overLimit = false;
      cursor = newline + 1;
      if (this.lineStart >= this.end) return true;
    }
    return false;
  }

  /** Adds the last line when the file ends without a newline; false when there is none. */
  finish(batch: ChunkLines): boolean {
    if (this.lineStart >= this.end || (this.pendingBytes === 0 && !this.overLimit)) return false;
    const rest = this.overLimit ? undefined : Buffer.concat(this.pending);
    batch.reset(Buffer.alloc(0));
    batch.add(this.lineNumber + 1, this.lineStart, this.pendingBytes, this.overLimit ? TOO_LONG : 0, 0, 0, rest);
    return true;
  }
}

/** 3 when a UTF-8 byte-order mark opens the file at `position` (only the file's start can hold one), else 0. */
function byteOrderMarkAt(bytes: Buffer, position: number): number {
  return position === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/**
 * The lines of a file already in memory (a small file read whole in one call, which costs far less
 * than a file handle's open, stat, reads and close), as the batches `readRawLineBatches` gives: the
 * same line numbers, offsets and flags. `start` and `end` are offsets into `buffer`.
 */
export function* rawLineBatchesOf(buffer: Buffer, options: ReadLinesOptions = {}): Generator<RawLineBatch> {
  const start = (options.start ?? 0) + byteOrderMarkAt(buffer, options.start ?? 0);
  const splitter = new LineSplitter(start, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, options.end ?? Number.POSITIVE_INFINITY);
  const batch = new ChunkLines();
  batch.reset(buffer, start);
  const stopped = splitter.split(buffer.subarray(start), batch);
  if (batch.count > 0) yield batch;
  if (!stopped && splitter.finish(batch)) yield batch;
}

/**
 * Consecutive chunks of a file from `position`, each read while the one before is split: two read
 * buffers take turns, so a chunk is valid until the next one is asked for.
 */
async function* fileChunks(handle: FileHandle, size: number, position: number, chunkBytes: number): AsyncGenerator<Buffer> {
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  const readAt = (buffer: Buffer, at: number) => (at >= size ? Promise.resolve(0) : handle.read(buffer, 0, buffer.length, at).then(({ bytesRead }) => bytesRead));
  let turn = 0;
  let nextRead = readAt(buffers[0]!, position);
  try {
    for (;;) {
      const bytesRead = await nextRead;
      if (bytesRead === 0) return;
      const chunk = buffers[turn]!.subarray(0, bytesRead);
      position += bytesRead;
      turn = 1 - turn;
      // Read ahead into the other buffer while this chunk is split.
      nextRead = readAt(buffers[turn]!, position);
      yield chunk;
    }
  } finally {
    // The file is closed after this: no read may still be under way.
    await nextRead.catch(() => 0);
  }
}

/** The chunks without their first `count` bytes (a range that starts inside decompressed content). */
async function* skipBytes(chunks: AsyncIterable<Buffer>, count: number): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    if (count >= chunk.length) {
      count -= chunk.length;
      continue;
    }
    yield count === 0 ? chunk : chunk.subarray(count);
    count = 0;
  }
}

/** THE line engine over a stream: splits consecutive chunks (from the splitter's `lineStart`) into batches. */
async function* splitChunks(chunks: AsyncIterable<Buffer>, splitter: LineSplitter): AsyncGenerator<RawLineBatch> {
  if (splitter.done) return;
  const batch = new ChunkLines();
  let first = splitter.lineStart === 0;
  for await (let chunk of chunks) {
    if (first) {
      // A UTF-8 byte-order mark is not part of the first line.
      const mark = byteOrderMarkAt(chunk, 0);
      chunk = chunk.subarray(mark);
      splitter.lineStart += mark;
      first = false;
    }
    batch.reset(chunk);
    const stopped = splitter.split(chunk, batch);
    if (batch.count > 0) yield batch;
    if (stopped) return;
  }
  if (splitter.finish(batch)) yield batch;
}

/** Compressed reads are smaller: a zstd chunk inflates about tenfold before it is split. */
const COMPRESSED_CHUNK_BYTES = 64 * 1024;

/**
 * Streams a file as batches of undecoded lines, one batch per chunk read. Memory is bounded by the
 * longest line plus two chunks: the file is never read into one string, so multi-GB session files
 * are fine. The next chunk is read while the current one is split, and the two read buffers are
 * reused, as is the batch: use (or copy) a batch before asking for the next. A whole file of at
 * most one chunk (1 MiB; no `start`, `end` or `chunkBytes` asked) is read in one synchronous call.
 *
 * A zstd-compressed file (Codex's `.jsonl.zst`, told by its first bytes, not its name) is
 * decompressed as it streams through the same splitter; its offsets (`start`, `end`, `byteOffset`)
 * count decompressed bytes, and memory adds the zstd window (see `decompressZstd`). A corrupt or
 * cut-off one throws a `CompressedFileError` after the last whole line it held.
 */
export async function* readRawLineBatches(path: string, options: ReadLinesOptions = {}): AsyncGenerator<RawLineBatch> {
  const start = options.start ?? 0;
  const end = options.end ?? Number.POSITIVE_INFINITY;
  const splitter = new LineSplitter(start, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, end);
  // A whole file that fits one chunk (most of a home's) is read in one synchronous call, not
  // through a file handle's async open, stat, reads and close: the same one batch.
  const small = options.chunkBytes == null && options.start == null && options.end == null ? readFileUpTo(path, DEFAULT_CHUNK_BYTES) : undefined;
  if (small != null) {
    if (isZstd(small)) yield* decompressedBatches(path, [small], start, splitter);
    else yield* rawLineBatchesOf(small, options);
    return;
  }
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const magic = Buffer.alloc(4);
    const compressed = isZstd(magic.subarray(0, (await handle.read(magic, 0, magic.length, 0)).bytesRead));
    if (!compressed) {
      const chunkBytes = options.chunkBytes ?? Math.max(64 * 1024, Math.min(DEFAULT_CHUNK_BYTES, Math.min(size, end) - start + 1));
      yield* splitChunks(fileChunks(handle, size, start, chunkBytes), splitter);
      return;
    }
    yield* decompressedBatches(path, fileChunks(handle, size, 0, options.chunkBytes ?? COMPRESSED_CHUNK_BYTES), start, splitter);
  } finally {
    await handle.close();
  }
}

/** The lines of a zstd file's chunks from `start` (decompressed bytes); damage is a `CompressedFileError`. */
async function* decompressedBatches(path: string, compressed: AsyncIterable<Buffer> | Iterable<Buffer>, start: number, splitter: LineSplitter): AsyncGenerator<RawLineBatch> {
  try {
    yield* splitChunks(skipBytes(decompressZstd(compressed), start), splitter);
  } catch (error) {
    // fzstd's errors carry a numeric code; anything else (a read error) is not about the content.
    if (typeof (error as { code?: unknown }).code !== 'number') throw error;
    throw new CompressedFileError({
      message: `the zstd data is corrupt or cut off after line ${splitter.lineNumber} (${(error as Error).message}): the lines after it are lost`,
      // The first line lost (it may have begun before the damage).
      location: { file: path, line: splitter.lineNumber + 1 },
      cause: error,
    });
  }
}

