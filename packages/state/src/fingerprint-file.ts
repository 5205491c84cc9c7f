import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const sampleBytes = 64 * 1024;

/**
 * A cheap content fingerprint: SHA-256 over the size, the first and the last 64 KiB. Session files
 * grow by appending, so any real change moves the size or the tail; reading 128 KiB instead of the
 * whole file keeps an unchanged re-run from re-reading sessions.
 */
export async function fingerprintFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256').update(`${size}:`);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, sampleBytes));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > sampleBytes) {
      const tail = Buffer.alloc(Math.min(size - sampleBytes, sampleBytes));
      await handle.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
  } finally {
    await handle.close();
  }
  return `sha256-sampled:${hash.digest('hex')}`;
}
