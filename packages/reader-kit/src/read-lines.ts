import { open } from 'node:fs/promises';

/** One line of a file, without its newline. */
export interface Line {
  /** 1-based, counted from `start`. */
  lineNumber: number;
  /** Byte offset of the line's first byte in the file. */
  byteOffset: number;
  text: string;
  /** False only for a last line with no trailing newline (a file still being written, or a writer that omits it). */
  terminated: boolean;
  /** The line exceeded `maxLineBytes`; its text was not kept. */
  tooLong?: boolean;
  /** The line's length in bytes, without the newline. */
  bytes: number;
}

export interface ReadLinesOptions {
  /** Lines longer than this are reported with `tooLong` instead of being decoded. Default 512 MiB (V8's string limit). */
  maxLineBytes?: number;
  /** Byte offset to start at; must be the start of a line. */
  start?: number;
  /** Byte offset to stop before (exclusive); a line that starts before it is read whole. */
  end?: number;
  /** Read size. Default 1 MiB (smaller for smaller files). */
  chunkBytes?: number;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const DEFAULT_MAX_LINE_BYTES = 512 * 1024 * 1024 - 64;
const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/**
 * Streams a file as batches of lines, one batch per chunk read. Memory is bounded by the longest
 * line plus two chunks: the file is never read into one string, so multi-GB session files are fine.
 * The next chunk is read while the current one is split, and the two read buffers are reused.
 * Consumers on a hot path should prefer this over `readLines`: one await per chunk, not per line.
 */
export async function* readLineBatches(path: string, options: ReadLinesOptions = {}): AsyncGenerator<Line[]> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const end = options.end ?? Number.POSITIVE_INFINITY;
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let position = options.start ?? 0;
    const chunkBytes = options.chunkBytes ?? Math.max(64 * 1024, Math.min(DEFAULT_CHUNK_BYTES, Math.min(size, end) - position + 1));
    const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
    let lineNumber = 0;
    let lineStart = position;
    // Bytes of the current line that are not yet terminated, carried across chunks (copied: buffers are reused).
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let overLimit = false;

    const makeLine = (body: Buffer | undefined, bytes: number, terminated: boolean): Line => {
      lineNumber += 1;
      let text = '';
      if (!overLimit && body != null) {
        const length = body.length > 0 && body[body.length - 1] === CARRIAGE_RETURN ? body.length - 1 : body.length;
        text = body.toString('utf8', 0, length);
      }
      const line: Line = { lineNumber, byteOffset: lineStart, text, terminated, bytes };
      if (overLimit) line.tooLong = true;
      return line;
    };

    const readAt = (buffer: Buffer, at: number) => (at >= size ? Promise.resolve(0) : handle.read(buffer, 0, buffer.length, at).then(({ bytesRead }) => bytesRead));
    let turn = 0;
    let nextRead = readAt(buffers[0]!, position);
    while (lineStart < end) {
      const bytesRead = await nextRead;
      if (bytesRead === 0) break;
      const chunk = buffers[turn]!.subarray(0, bytesRead);
      position += bytesRead;
      turn = 1 - turn;
      // Read ahead into the other buffer while this chunk is split.
      nextRead = readAt(buffers[turn]!, position);
      const batch: Line[] = [];
      let cursor = 0;
      let stop = false;
      while (cursor < chunk.length) {
        const newline = chunk.indexOf(NEWLINE, cursor);
        if (newline === -1) {
          const rest = chunk.subarray(cursor);
          pendingBytes += rest.length;
          if (pendingBytes > maxLineBytes) {
            overLimit = true;
            pending = [];
          } else {
            pending.push(Buffer.from(rest));
          }
          break;
        }
        const piece = chunk.subarray(cursor, newline);
        const bytes = pendingBytes + piece.length;
        if (bytes > maxLineBytes) overLimit = true;
        const body = overLimit ? undefined : pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        if (bytes > 0 || overLimit) batch.push(makeLine(body, bytes, true));
        else lineNumber += 1; // An empty line still counts for line numbers.
        lineStart += bytes + 1;
        pending = [];
        pendingBytes = 0;
        overLimit = false;
        cursor = newline + 1;
        if (lineStart >= end) {
          stop = true;
          break;
        }
      }
      if (batch.length > 0) yield batch;
      if (stop) {
        await nextRead;
        return;
      }
    }
    await nextRead.catch(() => 0);
    if (lineStart < end && (pendingBytes > 0 || overLimit)) {
      const body = overLimit ? undefined : Buffer.concat(pending);
      yield [makeLine(body, pendingBytes, false)];
    }
  } finally {
    await handle.close();
  }
}

/** Streams a file line by line with positions (see `readLineBatches` for the memory bound). */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(path, options)) yield* batch;
}
