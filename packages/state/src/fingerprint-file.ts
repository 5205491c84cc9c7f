import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

const sampleBytes = 64 * 1024;

/**
 * A cheap content fingerprint: SHA-256 over the size, the first and the last 64 KiB. Session files
 * grow by appending, so any real change moves the size or the tail; reading 128 KiB instead of the
 * whole file keeps an unchanged re-run from re-reading sessions. Synchronous: for the many small
 * files of a home, an async open, read and close cost more than the reads (a worker thread waits
 * for nothing else).
 */
export function fingerprintFileSync(path: string, size: number): string {
  const hash = createHash('sha256').update(`${size}:`);
  const descriptor = openSync(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, sampleBytes));
    readSync(descriptor, head, 0, head.length, 0);
    hash.update(head);
    if (size > sampleBytes) {
      const tail = Buffer.alloc(Math.min(size - sampleBytes, sampleBytes));
      readSync(descriptor, tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
  } finally {
    closeSync(descriptor);
  }
  return `sha256-sampled:${hash.digest('hex')}`;
}

/** {@link fingerprintFileSync} as a promise. */
export function fingerprintFile(path: string, size: number): Promise<string> {
  try {
    return Promise.resolve(fingerprintFileSync(path, size));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
