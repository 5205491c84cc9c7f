import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileRowStore, type RowReference } from './row-store.js';

describe('createFileRowStore', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('should give back every line as put and as its UTF-8 bytes, across pieces, big lines and reads between puts', () => {
    const folder = mkdtempSync(join(tmpdir(), 'forge-row-store-'));
    folders.push(folder);
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
