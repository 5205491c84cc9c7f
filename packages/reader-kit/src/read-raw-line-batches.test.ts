import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines } from './read-lines.js';
import { rawLineBatchesOf, readRawLineBatches, type RawLineBatch } from './read-raw-line-batches.js';

const folder = mkdtempSync(join(tmpdir(), 'forge-raw-lines-'));
function file(name: string, content: string): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

interface Snapshot {
  lineNumber: number;
  byteOffset: number;
  byteLength: number;
  terminated: boolean;
  tooLong: boolean;
  text: string;
  head: string;
}

/** Everything a batch says about its lines, read before the next batch reuses it. */
function snapshot(batch: RawLineBatch, headBytes: number): Snapshot[] {
  return Array.from({ length: batch.count }, (_, row) => ({
    lineNumber: batch.lineNumber(row),
    byteOffset: batch.byteOffset(row),
    byteLength: batch.byteLength(row),
    terminated: batch.terminated(row),
    tooLong: batch.tooLong(row),
    text: batch.text(row),
    head: batch.head(row, headBytes),
  }));
}

async function readAll(path: string, options: Parameters<typeof readRawLineBatches>[1], headBytes = 4): Promise<Snapshot[][]> {
  const batches: Snapshot[][] = [];
  for await (const batch of readRawLineBatches(path, options)) batches.push(snapshot(batch, headBytes));
  return batches;
}

describe('readRawLineBatches', () => {
  it('should give positions, lengths, decoded text and an undecoded head, lines spanning chunks included', async () => {
    const path = file('lines.txt', 'alpha\nbé\r\n\nlast');
    const lines = (await readAll(path, { chunkBytes: 3 })).flat();
    expect(lines).toEqual([
      { lineNumber: 1, byteOffset: 0, byteLength: 5, terminated: true, tooLong: false, text: 'alpha', head: 'alph' },
      // The head is latin1: the two bytes of é are two characters; the text drops the carriage return.
      { lineNumber: 2, byteOffset: 6, byteLength: 4, terminated: true, tooLong: false, text: 'bé', head: 'b\u00c3\u00a9\r' },
      { lineNumber: 4, byteOffset: 12, byteLength: 4, terminated: false, tooLong: false, text: 'last', head: 'last' },
    ]);
  });

  it('should report an over-long line with no text and go on', async () => {
    const path = file('long.txt', `short\n${'x'.repeat(100)}\nafter\n`);
    const lines = (await readAll(path, { maxLineBytes: 50, chunkBytes: 16 })).flat();
    expect(lines.map((line) => [line.lineNumber, line.tooLong, line.byteLength, line.text, line.head])).toEqual([
      [1, false, 5, 'short', 'shor'],
      [2, true, 100, '', ''],
      [3, false, 5, 'after', 'afte'],
    ]);
  });

  it('should agree with readLines on every line of a file read in many small chunks', async () => {
    const content = Array.from({ length: 300 }, (_, index) => `{"n":${index},"text":"${'é'.repeat(index % 13)}${'x'.repeat(index % 41)}"}`).join('\n');
    const path = file('many.jsonl', `${content}\n`);
    const batches = await readAll(path, { chunkBytes: 128 }, 64);
    expect(batches.length).toBeGreaterThan(10);
    const expected: Array<{ lineNumber: number; byteOffset: number; text: string }> = [];
    for await (const line of readLines(path)) expected.push({ lineNumber: line.lineNumber, byteOffset: line.byteOffset, text: line.text });
    expect(batches.flat().map(({ lineNumber, byteOffset, text }) => ({ lineNumber, byteOffset, text }))).toEqual(expected);
    expect(batches.flat().every((line) => line.head === Buffer.from(line.text).toString('latin1').slice(0, 64))).toBe(true);
  });

  it('should start and stop at the byte range asked for', async () => {
    const path = file('range.txt', 'aa\nbb\ncc\ndd\n');
    const lines = (await readAll(path, { start: 3, end: 7 })).flat();
    expect(lines.map((line) => [line.byteOffset, line.text])).toEqual([
      [3, 'bb'],
      [6, 'cc'],
    ]);
  });

  it('should split a file already in memory exactly as it streams it, ranges and over-long lines included', async () => {
    const paths = [
      file('memory.jsonl', 'alpha\nbé\r\n\n{"x":1}\nlast'),
      file('memory-long.txt', `short\n${'x'.repeat(100)}\nafter\n${'y'.repeat(80)}`),
      file('memory-terminated.txt', 'aa\nbb\ncc\ndd\n'),
    ];
    for (const path of paths) {
      for (const options of [{}, { maxLineBytes: 50 }, { start: 3 }, { start: 3, end: 7 }]) {
        const streamed = (await readAll(path, { ...options, chunkBytes: 16 })).flat();
        const inMemory: Snapshot[] = [];
        for (const batch of rawLineBatchesOf(readFileSync(path), options)) inMemory.push(...snapshot(batch, 4));
        expect(inMemory).toEqual(streamed);
      }
    }
  });

  it('should read a small file in one call as the one batch it streams as, whatever its content', async () => {
    const contents = ['', '\n\n', '\uFEFF{"a":1}\r\n\n{"b":"é"}\r\nlast without newline', `{"x":"${'y'.repeat(200)}"}\n{"z":0}\n`, 'é'.repeat(400_000)];
    for (const [index, content] of contents.entries()) {
      const path = file(`small-${index}.jsonl`, content);
      // An explicit chunk size streams the file through a file handle: the reference.
      for (const options of [{}, { maxLineBytes: 100 }]) {
        const whole = await readAll(path, options, 64);
        // One batch of the lines, and one for a last line with no newline.
        expect(whole.length).toBeLessThanOrEqual(2);
        expect(whole).toEqual(await readAll(path, { ...options, chunkBytes: 1024 * 1024 }, 64));
      }
    }
  });

  it('should read CRLF line endings and a UTF-8 byte-order mark like plain lines', async () => {
    const path = file('bom-crlf.jsonl', '\uFEFF{"a":1}\r\n{"b":"é"}\r\n');
    for (const chunkBytes of [4, 1024]) {
      const lines = (await readAll(path, { chunkBytes }, 64)).flat();
      expect(lines.map(({ lineNumber, byteOffset, text }) => [lineNumber, byteOffset, text])).toEqual([
        [1, 3, '{"a":1}'],
        [2, 12, '{"b":"é"}'],
      ]);
      const inMemory: Snapshot[] = [];
      for (const batch of rawLineBatchesOf(readFileSync(path))) inMemory.push(...snapshot(batch, 64));
      expect(inMemory).toEqual(lines);
      expect(lines.map((line) => JSON.parse(line.text) as unknown)).toEqual([{ a: 1 }, { b: 'é' }]);
    }
  });
});
