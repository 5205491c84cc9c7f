import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_HEAD_BYTES, readFileHead } from './read-file-head.js';

describe('readFileHead', () => {
  const folder = mkdtempSync(join(tmpdir(), 'forge-head-'));

  it('should give a short file whole and a long one cut at the limit', async () => {
    writeFileSync(join(folder, 'short.jsonl'), '{"type":"session"}\n');
    expect((await readFileHead(join(folder, 'short.jsonl'))).toString()).toBe('{"type":"session"}\n');
    writeFileSync(join(folder, 'long.jsonl'), 'x'.repeat(FILE_HEAD_BYTES + 10));
    expect((await readFileHead(join(folder, 'long.jsonl'))).length).toBe(FILE_HEAD_BYTES);
    expect((await readFileHead(join(folder, 'long.jsonl'), 5)).toString()).toBe('xxxxx');
  });

  it('should throw for a missing file (the caller says which)', async () => {
    await expect(readFileHead(join(folder, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
