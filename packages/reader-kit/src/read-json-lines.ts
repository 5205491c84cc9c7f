import { readLineBatches, type Line, type ReadLinesOptions } from './read-lines.js';

/** A parsed JSON line, or why a line could not be parsed. Blank lines are skipped. */
export type JsonLine =
  | { kind: 'value'; lineNumber: number; byteOffset: number; value: unknown }
  | {
      kind: 'invalid-json';
      lineNumber: number;
      byteOffset: number;
      message: string;
      /** The last line had no newline and did not parse: most likely a file still being written. */
      truncated: boolean;
    }
  | { kind: 'too-long'; lineNumber: number; byteOffset: number; bytes: number };

function parseLine(line: Line): JsonLine | undefined {
  const { lineNumber, byteOffset } = line;
  if (line.tooLong === true) return { kind: 'too-long', lineNumber, byteOffset, bytes: line.bytes };
  try {
    return { kind: 'value', lineNumber, byteOffset, value: JSON.parse(line.text) as unknown };
  } catch (error) {
    if (line.text.trim() === '') return undefined;
    return { kind: 'invalid-json', lineNumber, byteOffset, message: error instanceof Error ? error.message : String(error), truncated: !line.terminated };
  }
}

/**
 * Streams a JSONL file as batches of parsed values with line numbers, one batch per chunk read;
 * bad lines are reported, never thrown. The fast path for readers.
 */
export async function* readJsonLineBatches(path: string, options: ReadLinesOptions = {}): AsyncGenerator<JsonLine[]> {
  for await (const lines of readLineBatches(path, options)) {
    const batch: JsonLine[] = [];
    for (const line of lines) {
      const parsed = parseLine(line);
      if (parsed != null) batch.push(parsed);
    }
    if (batch.length > 0) yield batch;
  }
}

/** Streams a JSONL file as parsed values with line numbers; bad lines are reported, never thrown. */
export async function* readJsonLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<JsonLine> {
  for await (const batch of readJsonLineBatches(path, options)) yield* batch;
}
