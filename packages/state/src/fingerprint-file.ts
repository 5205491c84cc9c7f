import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

const sampleBytes = 64 * 1024;

/** THE fingerprint: SHA-256 over the size, the first 64 KiB and the last 64 KiB after them (fewer when the file is shorter). */
function sampledFingerprint(size: number, head: Uint8Array, tail: Uint8Array | undefined): string {
  const hash = createHash('sha256').update(`${size}:`).update(head);
  if (tail != null) hash.update(tail);
  return `sha256-sampled:${hash.digest('hex')}`;
}

/**
 * A cheap content fingerprint: SHA-256 over the size, the first and the last 64 KiB. Session files
 * grow by appending, so any real change moves the size or the tail; reading 128 KiB instead of the
 * whole file keeps an unchanged re-run from re-reading sessions. Synchronous: for the many small
 * files of a home, an async open, read and close cost more than the reads (a worker thread waits
 * for nothing else).
 */
export function fingerprintFileSync(path: string, size: number): string {
  const descriptor = openSync(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, sampleBytes));
    readSync(descriptor, head, 0, head.length, 0);
    if (size <= sampleBytes) return sampledFingerprint(size, head, undefined);
    const tail = Buffer.alloc(Math.min(size - sampleBytes, sampleBytes));
    readSync(descriptor, tail, 0, tail.length, size - tail.length);
    return sampledFingerprint(size, head, tail);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * {@link fingerprintFileSync} of a file whose bytes are in memory already (a small file read
 * whole): the same value, with no second open and read.
 */
export function fingerprintBytes(bytes: Uint8Array): string {
  const size = bytes.length;
  const head = bytes.subarray(0, Math.min(size, sampleBytes));
  return sampledFingerprint(size, head, size <= sampleBytes ? undefined : bytes.subarray(size - Math.min(size - sampleBytes, sampleBytes)));
}

/** {@link fingerprintFileSync} as a promise. */
export function fingerprintFile(path: string, size: number): Promise<string> {
  try {
    return Promise.resolve(fingerprintFileSync(path, size));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
