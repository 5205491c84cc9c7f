import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintBytes, fingerprintFileSync } from './fingerprint-file.js';

describe('fingerprintBytes', () => {
  const folder = mkdtempSync(join(tmpdir(), 'forge-fingerprint-'));

  // Around the two 64 KiB samples: head only, head and a partial tail, head and a whole tail.
  it.each([0, 1, 4096, 65_535, 65_536, 65_537, 131_071, 131_072, 131_073, 300_001])('should equal the fingerprint read from a file of %i bytes', (size) => {
    const bytes = Buffer.alloc(size);
    for (let index = 0; index < size; index += 1) bytes[index] = (index * 31 + (index >> 10)) & 0xff;
    const path = join(folder, `${size}.bin`);
    writeFileSync(path, bytes);
    expect(fingerprintBytes(bytes)).toBe(fingerprintFileSync(path, size));
  });

  it('should change with any byte of a small file, and with the size', () => {
    const bytes = Buffer.from('{"type":"session"}\n');
    const changed = Buffer.from(bytes);
    changed[5] = 0x41;
    expect(new Set([fingerprintBytes(bytes), fingerprintBytes(changed), fingerprintBytes(bytes.subarray(0, bytes.length - 1))]).size).toBe(3);
  });
});
