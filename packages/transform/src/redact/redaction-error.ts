import { ForgeError, type ErrorLocation } from '@forge/schema';

const marker = Symbol.for('forge.error.RedactionError');

/** Why redaction could not run or could not be configured. */
export type RedactionErrorCode = 'redaction-failed' | 'redaction-config';

/**
 * Redaction could not run (the content must not be written: callers drop it), or the user's
 * redaction configuration is unusable. Messages never quote a configured secret value.
 */
export class RedactionError extends ForgeError {
  private readonly [marker] = true;
  declare readonly code: RedactionErrorCode;

  constructor({ message, code = 'redaction-failed', location, hint, cause }: { message: string; code?: RedactionErrorCode; location?: ErrorLocation; hint?: string; cause?: unknown }) {
    super({
      message: code === 'redaction-failed' ? `redaction failed: ${message}` : message,
      code,
      ...(location == null ? {} : { location }),
      ...(hint == null ? {} : { hint }),
      cause,
    });
    this.name = 'RedactionError';
  }

  /** True for a RedactionError from any copy of this package. */
  static override isInstance(error: unknown): error is RedactionError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
