import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileRowStore, createMemoryRowStore, createThreadRowSpill, type RowReference } from './row-store.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A new folder, removed after the test. */
function newFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'forge-row-store-'));
  folders.push(folder);
  return folder;
}

describe('createFileRowStore', () => {
  it('should give back every line as put and as its UTF-8 bytes, across pieces, big lines and reads between puts', () => {
    const folder = newFolder();
    const store = createFileRowStore(folder);
    // ASCII, other scripts, an emoji, a lone surrogate (replaced, as any UTF-8 encoding does), and lines far over one piece.
    const lines = Array.from({ length: 3000 }, (_, index) => {
      const kinds = [`{"row":${index}}`, `naïve café — 日本語 ${index} 🚀`, `lone \ud800 surrogate ${index}`, `${'x'.repeat(400_000 + index)}`, `${'é'.repeat(200_000)}${index}`];
      return kinds[index % 97 === 0 ? 3 + (index % 2) : index % 3]!;
    });
    const references: RowReference[] = [];
    for (const [index, line] of lines.entries()) {
      references.push(store.put(line));
      // A read in the middle of the puts sees what was put so far, and later puts still land after it.
      if (index === 1500) expect(store.get(references[700]!)).toBe(Buffer.from(lines[700]!, 'utf8').toString('utf8'));
    }
    for (const [index, line] of lines.entries()) {
      const expected = Buffer.from(line, 'utf8');
      expect(store.bytes(references[index]!).equals(expected)).toBe(true);
      expect(store.get(references[index]!)).toBe(expected.toString('utf8'));
    }
    expect(readdirSync(folder)).toHaveLength(1);
    store.close();
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('createThreadRowSpill', () => {
  it('should hand its lines to a file store by reference: read in place, across pieces and big lines, deleted with the store', () => {
    const folder = newFolder();
    const spill = createThreadRowSpill(folder);
    const other = createThreadRowSpill(folder);
    const lines = Array.from({ length: 2000 }, (_, index) => (index % 251 === 0 ? `${'ü'.repeat(600_000)}${index}` : `{"row":${index},"text":"naïve 🚀 ${'y'.repeat(index)}"}`));
    const references = lines.map((line, index) => (index % 2 === 0 ? spill : other).put(line));
    // The spill reads its own lines (what is still in its piece is flushed first).
    expect(spill.get(references[1000]!)).toBe(lines[1000]);
    spill.flush();
    other.flush();
    const store = createFileRowStore(folder);
    const own = store.put('{"own":true}');
    const adopted = references.map((reference, index) => store.adopt((index % 2 === 0 ? spill : other).path, reference));
    expect(new Set(adopted.map((reference) => typeof reference === 'object' && reference.file))).toEqual(new Set([1, 2]));
    for (const [index, line] of lines.entries()) {
      expect(store.get(adopted[index]!)).toBe(line);
      expect(store.bytes(adopted[index]!).equals(Buffer.from(line, 'utf8'))).toBe(true);
    }
    expect(store.get(own)).toBe('{"own":true}');
    // A memory store reads an adopted line in.
    expect(createMemoryRowStore().adopt(other.path, references[3]!)).toBe(lines[3]);
    store.close();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('should say how many bytes it holds, and leave a kept file (outside the store\'s folder) when the store closes', () => {
    const kept = newFolder();
    const spill = createThreadRowSpill(kept);
    expect(spill.size).toBe(0);
    spill.put('first');
    const start = spill.size;
    expect(start).toBe(5);
    const second = spill.put('zweite ü');
    expect(second).toEqual({ offset: start, length: 9 });
    expect(spill.size).toBe(14);
    spill.flush();
    // A range of the kept file adopted by a store of another folder: read in place, never deleted.
    const store = createFileRowStore(newFolder());
    expect(store.get(store.adopt(spill.path, second))).toBe('zweite ü');
    store.close();
    expect(readFileSync(spill.path, 'utf8')).toBe('firstzweite ü');
  });
});
