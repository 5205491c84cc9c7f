import { ForgeError, type ErrorLocation } from '@forge/schema';

const marker = Symbol.for('forge.error.TransformError');

/** Why a dataset could not be built or written (bad session content never throws: it is skipped and reported). */
export type TransformErrorCode = 'unknown-format' | 'builder-finished' | 'sidecar-conflict' | 'dataset-unwritable' | 'not-a-dataset' | 'template-invalid' | 'unknown-session';

/** A wrong call of the transform API, or an output folder that cannot be written. */
export class TransformError extends ForgeError {
  private readonly [marker] = true;
  declare readonly code: TransformErrorCode;

  constructor({ message, code, location, hint, cause }: { message: string; code: TransformErrorCode; location?: ErrorLocation; hint?: string; cause?: unknown }) {
    super({ message, code, ...(location == null ? {} : { location }), ...(hint == null ? {} : { hint }), cause });
    this.name = 'TransformError';
  }

  /** True for a TransformError from any copy of this package. */
  static override isInstance(error: unknown): error is TransformError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
