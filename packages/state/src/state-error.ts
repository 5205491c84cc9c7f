import { ForgeError, type ErrorLocation } from '@forge/schema';

const marker = Symbol.for('forge.error.StateError');

/** Why forge's state database cannot be used. */
export type StateErrorCode = 'state-busy' | 'state-unreadable' | 'state-too-new';

/** forge's state database is held by another run, unreadable, or from a newer forge. */
export class StateError extends ForgeError {
  private readonly [marker] = true;
  declare readonly code: StateErrorCode;

  constructor({ message, code, location, hint, cause }: { message: string; code: StateErrorCode; location?: ErrorLocation; hint?: string; cause?: unknown }) {
    super({ message, code, ...(location == null ? {} : { location }), ...(hint == null ? {} : { hint }), cause });
    this.name = 'StateError';
  }

  /** True for a StateError from any copy of this package. */
  static override isInstance(error: unknown): error is StateError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
