import { appendFileSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSmallFile, WHOLE_FILE_BYTES } from './read-small-file.js';

describe('readSmallFile', () => {
  const folder = mkdtempSync(join(tmpdir(), 'forge-small-file-'));
  const text = '{"type":"session"}\n{"type":"message"}\n';

  it('should read a small file whole, with or without its size, and hand the bytes to onWholeRead', () => {
    const path = join(folder, 'small.jsonl');
    writeFileSync(path, text);
    const seen: Buffer[] = [];
    const known = readSmallFile(path, Buffer.byteLength(text), (bytes) => seen.push(bytes));
    expect(known?.toString()).toBe(text);
    expect(readSmallFile(path)?.toString()).toBe(text);
    expect(seen.map((bytes) => bytes.toString())).toEqual([text]);
    writeFileSync(join(folder, 'empty.jsonl'), '');
    expect(readSmallFile(join(folder, 'empty.jsonl'), 0)?.length).toBe(0);
  });

  it('should read a file that grew or shrank since its size was taken to its current end', () => {
    const path = join(folder, 'changing.jsonl');
    writeFileSync(path, text);
    appendFileSync(path, 'x'.repeat(100_000));
    // The size discovery saw is the old one: the read goes on past it, never cutting the file.
    expect(readSmallFile(path, Buffer.byteLength(text))?.length).toBe(Buffer.byteLength(text) + 100_000);
    writeFileSync(path, '{}\n');
    expect(readSmallFile(path, Buffer.byteLength(text))?.toString()).toBe('{}\n');
  });

  it('should leave a file larger than WHOLE_FILE_BYTES to streaming, without opening it when its size is known', () => {
    const big = join(folder, 'big.jsonl');
    writeFileSync(big, '');
    truncateSync(big, WHOLE_FILE_BYTES + 1);
    let called = false;
    expect(readSmallFile(big, undefined, () => (called = true))).toBeUndefined();
    expect(readSmallFile(join(folder, 'missing.jsonl'), WHOLE_FILE_BYTES + 1)).toBeUndefined();
    expect(called).toBe(false);
  });

  it('should throw for a missing file (the caller says which)', () => {
    expect(() => readSmallFile(join(folder, 'missing.jsonl'), 10)).toThrow(expect.objectContaining({ code: 'ENOENT' }) as Error);
  });
});
