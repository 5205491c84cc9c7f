import { readRawLineBatches, type ReadLinesOptions } from './read-raw-line-batches.js';

export type { ReadLinesOptions } from './read-raw-line-batches.js';

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

/**
 * Streams a file as batches of decoded lines, one batch per chunk read (see `readRawLineBatches`
 * for the memory bound and read-ahead). Consumers on a hot path should prefer this over
 * `readLines`: one await per chunk, not per line.
 */
export async function* readLineBatches(path: string, options: ReadLinesOptions = {}): AsyncGenerator<Line[]> {
  for await (const raw of readRawLineBatches(path, options)) {
    const batch: Line[] = [];
    for (let index = 0; index < raw.count; index += 1) {
      const line: Line = { lineNumber: raw.lineNumber(index), byteOffset: raw.byteOffset(index), text: raw.text(index), terminated: raw.terminated(index), bytes: raw.byteLength(index) };
      if (raw.tooLong(index)) line.tooLong = true;
      batch.push(line);
    }
    yield batch;
  }
}

/** Streams a file line by line with positions (see `readLineBatches` for the memory bound). */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(path, options)) yield* batch;
}
