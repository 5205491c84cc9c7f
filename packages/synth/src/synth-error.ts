import { ForgeError, type ErrorLocation } from '@forge/schema';

const marker = Symbol.for('forge.error.SynthError');

/** Why a synth plan or batch could not be made (a failed run is reported, never thrown). */
export type SynthErrorCode = 'usage' | 'template-missing' | 'template-invalid' | 'out-dir-not-empty' | 'program-not-found';

/** A synth option, template or output folder that cannot be used. */
export class SynthError extends ForgeError {
  private readonly [marker] = true;
  declare readonly code: SynthErrorCode;

  constructor({ message, code, location, hint, cause }: { message: string; code: SynthErrorCode; location?: ErrorLocation; hint?: string; cause?: unknown }) {
    super({ message, code, ...(location == null ? {} : { location }), ...(hint == null ? {} : { hint }), cause });
    this.name = 'SynthError';
  }

  /** True for a SynthError from any copy of this package. */
  static override isInstance(error: unknown): error is SynthError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
