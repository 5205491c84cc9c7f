import { readLines, type ReadLinesOptions } from './read-lines.js';

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

/** Streams a JSONL file as parsed values with line numbers; bad lines are reported, never thrown. */
export async function* readJsonLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<JsonLine> {
  for await (const line of readLines(path, options)) {
    const { lineNumber, byteOffset } = line;
    if (line.tooLong === true) {
      yield { kind: 'too-long', lineNumber, byteOffset, bytes: line.bytes };
      continue;
    }
    if (line.text.trim() === '') continue;
    try {
      yield { kind: 'value', lineNumber, byteOffset, value: JSON.parse(line.text) as unknown };
    } catch (error) {
      yield {
        kind: 'invalid-json',
        lineNumber,
        byteOffset,
        message: error instanceof Error ? error.message : String(error),
        truncated: !line.terminated,
      };
    }
  }
}
