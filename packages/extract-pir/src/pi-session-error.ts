import { ForgeError, type ErrorLocation } from '@forge/schema';

const marker = Symbol.for('forge.error.PiSessionError');

/** Stable codes of {@link PiSessionError}. */
export type PiSessionErrorCode = 'not-a-pi-session' | 'unreadable-session' | 'invalid-option';

/** A pi-family session file could not be read at all (per-line problems are warnings, never errors). */
export class PiSessionError extends ForgeError {
  private readonly [marker] = true;
  declare readonly code: PiSessionErrorCode;

  constructor({ message, code, location, hint, cause }: { message: string; code: PiSessionErrorCode; location?: ErrorLocation; hint?: string; cause?: unknown }) {
    super({ message, code, ...(location == null ? {} : { location }), ...(hint == null ? {} : { hint }), cause });
    this.name = 'PiSessionError';
  }

  /** True for a PiSessionError from any copy of this package (and for no other ForgeError). */
  static override isInstance(error: unknown): error is PiSessionError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
