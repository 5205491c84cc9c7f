import { ForgeError, type ErrorLocation } from '@forge/schema';

const marker = Symbol.for('forge.error.ExtensionInstallError');

/** Why forge's extensions could not be installed. */
export type ExtensionInstallErrorCode = 'usage' | 'extension-bundle-missing' | 'extension-install-failed';

/** forge's pi/omp extensions could not be put where the program loads them. */
export class ExtensionInstallError extends ForgeError {
  private readonly [marker] = true;
  declare readonly code: ExtensionInstallErrorCode;

  constructor({ message, code, location, hint, cause }: { message: string; code: ExtensionInstallErrorCode; location?: ErrorLocation; hint?: string; cause?: unknown }) {
    super({ message, code, ...(location == null ? {} : { location }), ...(hint == null ? {} : { hint }), cause });
    this.name = 'ExtensionInstallError';
  }

  /** True for an ExtensionInstallError from any copy of this package. */
  static override isInstance(error: unknown): error is ExtensionInstallError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
