import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonLineBatches, readJsonLines } from './read-json-lines.js';
import { readLineBatches, readLines } from './read-lines.js';

const folder = mkdtempSync(join(tmpdir(), 'forge-reader-kit-'));
function file(name: string, content: string | Buffer): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}
async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('readLines', () => {
  it('should give line numbers, byte offsets and termination, across chunk boundaries', async () => {
    const path = file('lines.txt', 'alpha\nbé\r\n\nlast');
    const lines = await collect(readLines(path, { chunkBytes: 3 }));
    expect(lines.map(({ lineNumber, byteOffset, text, terminated }) => ({ lineNumber, byteOffset, text, terminated }))).toEqual([
      { lineNumber: 1, byteOffset: 0, text: 'alpha', terminated: true },
      { lineNumber: 2, byteOffset: 6, text: 'bé', terminated: true },
      { lineNumber: 4, byteOffset: 12, text: 'last', terminated: false },
    ]);
  });

  it('should decode a multi-byte character split between two chunks', async () => {
    const path = file('split.txt', '€€€\n');
    for (const chunkBytes of [1, 2, 4, 5]) {
      const [line] = await collect(readLines(path, { chunkBytes }));
      expect(line?.text).toBe('€€€');
    }
  });

  it('should report an over-long line without keeping it and go on', async () => {
    const path = file('long.txt', `short\n${'x'.repeat(100)}\nafter\n`);
    const lines = await collect(readLines(path, { maxLineBytes: 50, chunkBytes: 16 }));
    expect(lines.map((line) => [line.lineNumber, line.text, line.tooLong ?? false, line.bytes])).toEqual([
      [1, 'short', false, 5],
      [2, '', true, 100],
      [3, 'after', false, 5],
    ]);
  });

  it('should read only the byte range asked for, whole lines included', async () => {
    const path = file('range.txt', 'aa\nbb\ncc\ndd\n');
    const lines = await collect(readLines(path, { start: 3, end: 7 }));
    expect(lines.map((line) => line.text)).toEqual(['bb', 'cc']);
  });

  it('should give the same lines in batches, one batch per chunk read', async () => {
    const content = Array.from({ length: 200 }, (_, index) => `line ${index} ${'x'.repeat(index % 37)}`).join('\n');
    const path = file('batches.txt', content);
    const batches = await collect(readLineBatches(path, { chunkBytes: 256 }));
    expect(batches.length).toBeGreaterThan(10);
    expect(batches.flat()).toEqual(await collect(readLines(path, { chunkBytes: 4096 })));
    expect(batches.flat().map((line) => line.text)).toEqual(content.split('\n'));
  });

  it('should give nothing for an empty file', async () => {
    expect(await collect(readLines(file('empty.txt', '')))).toEqual([]);
  });
});

describe('readJsonLines', () => {
  it('should parse values, report invalid and truncated lines with their line numbers, and skip blank lines', async () => {
    const path = file('mixed.jsonl', '{"a":1}\nnot json\n\n{"b":2}\n{"c":');
    const lines = await collect(readJsonLines(path));
    expect(lines).toMatchObject([
      { kind: 'value', lineNumber: 1, value: { a: 1 } },
      { kind: 'invalid-json', lineNumber: 2, truncated: false },
      { kind: 'value', lineNumber: 4, value: { b: 2 } },
      { kind: 'invalid-json', lineNumber: 5, truncated: true },
    ]);
  });

  it('should parse the same values in batches', async () => {
    const path = file('batched.jsonl', `${Array.from({ length: 100 }, (_, index) => JSON.stringify({ index })).join('\n')}\n{"torn":`);
    const batches = await collect(readJsonLineBatches(path, { chunkBytes: 128 }));
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.flat()).toEqual(await collect(readJsonLines(path)));
    expect(batches.flat().at(-1)).toMatchObject({ kind: 'invalid-json', lineNumber: 101, truncated: true });
  });

  it('should accept a last line without newline that parses', async () => {
    const lines = await collect(readJsonLines(file('noeol.jsonl', '{"a":1}\n{"b":2}')));
    expect(lines.map((line) => line.kind)).toEqual(['value', 'value']);
  });
});
