import { stat } from 'node:fs/promises';
import { type SourceEvent, type SourceFile } from './session-source.js';

/**
 * The file warning a reader yields instead of sessions when its input is empty (a program that had
 * not written anything yet) or cannot be read; undefined when there is something to read.
 */
export async function emptyOrUnreadable(file: SourceFile): Promise<SourceEvent | undefined> {
  try {
    if ((await stat(file.path)).size > 0) return undefined;
    return { kind: 'file-warning', warning: { file: file.path, kind: 'empty-file', message: 'empty file (nothing was written to it yet)' } };
  } catch (error) {
    return { kind: 'file-warning', warning: { file: file.path, kind: 'unreadable-file', message: `cannot read the file: ${error instanceof Error ? error.message : String(error)}` } };
  }
}
