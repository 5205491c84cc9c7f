import { readFileSync, statSync } from 'node:fs';
import { decompress } from 'fzstd';
import { isZstd } from './decompress-zstd.js';
import { type SourceEvent, type SourceFile } from './session-source.js';

/** A zstd frame with no content is a dozen bytes; anything larger holds data (or is read on and reported). */
const EMPTY_ZSTD_MAX_BYTES = 64;

/** Whether a small zstd file is whole and holds nothing. A corrupt one is left to the line reader, which names the problem. */
function isEmptyZstd(bytes: Buffer): boolean {
  if (!isZstd(bytes)) return false;
  try {
    return decompress(bytes).length === 0;
  } catch {
    return false;
  }
}

/**
 * The file warning a reader yields instead of sessions when its input is empty (a program that had
 * not written anything yet) or cannot be read; undefined when there is something to read. A zstd
 * file counts as empty when it decompresses to nothing.
 */
export function emptyOrUnreadable(file: SourceFile): Promise<SourceEvent | undefined> {
  return Promise.resolve(preflight(file));
}

function preflight(file: SourceFile): SourceEvent | undefined {
  try {
    // Synchronous: for the many small files of a home a thread-pool round trip costs more than the stat.
    const { size } = statSync(file.path);
    // Only a tiny file can be an empty zstd frame: the rest cost a stat, as before.
    if (size > 0 && (size > EMPTY_ZSTD_MAX_BYTES || !isEmptyZstd(readFileSync(file.path)))) return undefined;
    return { kind: 'file-warning', warning: { file: file.path, kind: 'empty-file', message: 'empty file (nothing was written to it yet)' } };
  } catch (error) {
    return { kind: 'file-warning', warning: { file: file.path, kind: 'unreadable-file', message: `cannot read the file: ${error instanceof Error ? error.message : String(error)}` } };
  }
}
