import { ForgeError, type ErrorLocation } from '@forge/schema';

const marker = Symbol.for('forge.error.ReaderPoolError');

/** A reader worker thread failed (a bug or a crash, never bad input: that becomes a warning). */
export class ReaderPoolError extends ForgeError {
  private readonly [marker] = true;
  declare readonly code: 'reader-worker-failed';

  constructor({ message, location, cause }: { message: string; location?: ErrorLocation; cause?: unknown }) {
    super({ message, code: 'reader-worker-failed', ...(location == null ? {} : { location }), hint: 'read with one thread (workers: 1) to see where it fails', cause });
    this.name = 'ReaderPoolError';
  }

  /** True for a ReaderPoolError from any copy of this package. */
  static override isInstance(error: unknown): error is ReaderPoolError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
