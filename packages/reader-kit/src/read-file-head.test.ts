import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_HEAD_BYTES, readFileHead, readFileHeadSync } from './read-file-head.js';

describe.each([
  ['readFileHead', readFileHead],
  ['readFileHeadSync', readFileHeadSync],
] as const)('%s', (_name, read) => {
  const folder = mkdtempSync(join(tmpdir(), 'forge-head-'));

  it('should give a short file whole and a long one cut at the limit', async () => {
    writeFileSync(join(folder, 'short.jsonl'), '{"type":"session"}\n');
    expect((await read(join(folder, 'short.jsonl'))).toString()).toBe('{"type":"session"}\n');
    writeFileSync(join(folder, 'long.jsonl'), `${'x'.repeat(FILE_HEAD_BYTES)}yyyyyyyyyy`);
    const long = await read(join(folder, 'long.jsonl'));
    expect([long.length, long.includes('y')]).toEqual([FILE_HEAD_BYTES, false]);
    expect((await read(join(folder, 'long.jsonl'), 5)).toString()).toBe('xxxxx');
    writeFileSync(join(folder, 'empty.jsonl'), '');
    expect((await read(join(folder, 'empty.jsonl'))).length).toBe(0);
  });

  it('should throw for a missing file (the caller says which)', async () => {
    await expect(async () => read(join(folder, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
