import { ForgeError, type ErrorLocation } from '@forge/schema';

const marker = Symbol.for('forge.error.CompressedFileError');

/**
 * A compressed input (a zstd `.jsonl.zst`) that is corrupt or cut off. The line readers throw it
 * after the last whole line they could recover, so a reader can keep those and turn the rest into
 * a warning.
 */
export class CompressedFileError extends ForgeError {
  private readonly [marker] = true;
  declare readonly code: 'corrupt-compressed-file';
  /** What was wrong, without the location and hint (for a warning that names the file itself). */
  readonly reason: string;

  constructor({ message, location, cause }: { message: string; location: ErrorLocation; cause?: unknown }) {
    super({ message, code: 'corrupt-compressed-file', location, hint: 'the file is damaged (a partial copy?): decompress it with `zstd -d` to see how much is left', cause });
    this.name = 'CompressedFileError';
    this.reason = message;
  }

  /** True for a CompressedFileError from any copy of this package. */
  static override isInstance(error: unknown): error is CompressedFileError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
