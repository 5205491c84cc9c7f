import { ForgeError, type ErrorLocation } from '@forge/schema';

/** Stable codes of {@link PiSessionError}. */
export type PiSessionErrorCode = 'not-a-pi-session' | 'unreadable-session' | 'invalid-option' | 'worker-failed';

/** A pi-family session file could not be read at all (per-line problems are warnings, never errors). */
export class PiSessionError extends ForgeError {
  override readonly code: PiSessionErrorCode;

  constructor(options: { message: string; code: PiSessionErrorCode; location?: ErrorLocation; hint?: string; cause?: unknown }) {
    super(options);
    this.name = 'PiSessionError';
    this.code = options.code;
  }
}
