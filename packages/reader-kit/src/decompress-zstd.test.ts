import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompressedFileError } from './compressed-file-error.js';
import { decompressedHead, isZstd } from './decompress-zstd.js';
import { emptyOrUnreadable } from './file-preflight.js';
import { readJsonLines } from './read-json-lines.js';
import { readRawLineBatches, type ReadLinesOptions } from './read-raw-line-batches.js';

const folder = mkdtempSync(join(tmpdir(), 'forge-zstd-'));

/**
 * The real zstd program at Codex's settings (codex.md §1.3: level 3, no checksum); from stdin it
 * writes no content size, the harder case for a streaming reader.
 */
const zstd = (content: Buffer | string): Buffer => execFileSync('zstd', ['-q', '-3', '--no-check', '-c'], { input: content });

function files(name: string, content: string | Buffer, compressed: Buffer = zstd(content)): { plain: string; packed: string } {
  const plain = join(folder, name);
  writeFileSync(plain, content);
  writeFileSync(`${plain}.zst`, compressed);
  return { plain, packed: `${plain}.zst` };
}

/** Every line the engine gives, as plain values (a batch is only valid until the next). */
async function lines(path: string, options: ReadLinesOptions = {}): Promise<unknown[]> {
  const out = [];
  for await (const batch of readRawLineBatches(path, options)) {
    for (let index = 0; index < batch.count; index += 1) {
      out.push([batch.lineNumber(index), batch.byteOffset(index), batch.byteLength(index), batch.terminated(index), batch.tooLong(index), batch.text(index)]);
    }
  }
  return out;
}

// Two megabytes of rollout-like lines of every length: many zstd blocks, lines across blocks and reads.
const big = Array.from({ length: 6000 }, (_, index) => JSON.stringify({ n: index, text: `${'é'.repeat(index % 17)}${'word '.repeat(index % 150)}` })).join('\n');

describe('zstd files through the line engine', () => {
  it('should give the same lines, offsets and flags as the plain file', async () => {
    const { plain, packed } = files('big.jsonl', `\uFEFF${big}\r\n\nlast without newline`);
    expect(readFileSync(packed).length).toBeLessThan(readFileSync(plain).length / 5);
    const expected = await lines(plain);
    expect(expected.length).toBe(6001);
    expect(await lines(packed)).toEqual(expected);
    expect(await lines(packed, { chunkBytes: 1000 })).toEqual(expected);
    expect(await lines(packed, { maxLineBytes: 300 })).toEqual(await lines(plain, { maxLineBytes: 300 }));
  });

  it('should start and stop at a byte range of the decompressed content', async () => {
    const { plain, packed } = files('range.jsonl', `${big}\n`);
    const [, start] = (await lines(plain)).at(4000) as [number, number];
    const range = { start, end: start + 70_000 };
    const expected = await lines(plain, range);
    expect(expected.length).toBeGreaterThan(50);
    expect(await lines(packed, range)).toEqual(expected);
  });

  it('should read several concatenated frames as one stream', async () => {
    const { plain, packed } = files('frames.jsonl', '{"a":1}\n{"b":2}\n', Buffer.concat([zstd('{"a":1}\n'), zstd('{"b":2}\n')]));
    expect(await lines(packed)).toEqual(await lines(plain));
  });

  it('should keep the whole lines of a cut-off file, then throw a CompressedFileError naming the file', async () => {
    const whole = zstd(`${big}\n`);
    const { packed } = files('cut.jsonl', `${big}\n`, whole.subarray(0, Math.floor(whole.length / 2)));
    const read: unknown[] = [];
    const error = await (async () => {
      try {
        for await (const line of readJsonLines(packed)) read.push(line.kind === 'value' ? line.value : line.kind);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(CompressedFileError.isInstance(error)).toBe(true);
    expect((error as CompressedFileError).location).toEqual({ file: packed, line: read.length + 1 });
    expect((error as CompressedFileError).reason).toMatch(new RegExp(`after line ${read.length}\\b`, 'u'));
    expect(read.length).toBeGreaterThan(1000);
    expect(read).toEqual(big.split('\n').slice(0, read.length).map((text) => JSON.parse(text) as unknown));
  });

  it('should throw a CompressedFileError for a corrupt frame, and rethrow nothing else as one', async () => {
    const whole = Buffer.from(zstd(`${big}\n`));
    whole.fill(0xff, 200, 400);
    const { packed } = files('corrupt.jsonl', `${big}\n`, whole);
    await expect(lines(packed)).rejects.toSatisfy((error) => CompressedFileError.isInstance(error));
    await expect(lines(join(folder, 'missing.zst'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('should give detect the decompressed head, at most the bytes asked for', () => {
    const { packed } = files('head.jsonl', `${big}\n`);
    const compressed = readFileSync(packed);
    expect(isZstd(compressed)).toBe(true);
    expect(isZstd(Buffer.from(big))).toBe(false);
    expect(decompressedHead(compressed.subarray(0, 64 * 1024)).toString()).toBe(Buffer.from(big).subarray(0, 64 * 1024).toString());
    expect(decompressedHead(compressed.subarray(0, 100), 10).length).toBeLessThanOrEqual(10);
    // A run of one byte inflates ~30000-fold: the head stops at what was asked.
    expect(decompressedHead(zstd(Buffer.alloc(64 * 1024 * 1024, 'a')), 4096)).toEqual(Buffer.alloc(4096, 'a'));
    expect(decompressedHead(Buffer.from('{"a":1}'))).toEqual(Buffer.from('{"a":1}'));
  });

  it('should call a zstd file of no content empty, and not a corrupt small one', async () => {
    const { packed } = files('empty.jsonl', '');
    const file = (path: string) => ({ path, source: 'codex' as const, size: 0, mtimeMs: 0 });
    expect(await emptyOrUnreadable(file(packed))).toMatchObject({ kind: 'file-warning', warning: { kind: 'empty-file', file: packed } });
    const { packed: small } = files('small.jsonl', '{"a":1}\n');
    expect(await emptyOrUnreadable(file(small))).toBeUndefined();
    const { packed: cut } = files('small-cut.jsonl', '{"a":1}\n', zstd('{"a":1}\n').subarray(0, 8));
    expect(await emptyOrUnreadable(file(cut))).toBeUndefined();
    await expect(lines(cut)).rejects.toSatisfy((error) => CompressedFileError.isInstance(error));
  });
});
