const forgeErrorMarker = Symbol.for('forge.error');

/** Where a problem was found: a file and, when known, a 1-based line. */
export interface ErrorLocation {
  file: string;
  line?: number;
}

export interface ForgeErrorOptions {
  /** What was wrong. */
  message: string;
  /** A stable machine-readable code, e.g. `schema-validation`. */
  code?: string;
  /** Where it was found. */
  location?: ErrorLocation;
  /** What the user should do about it. */
  hint?: string;
  cause?: unknown;
}

/**
 * The one error base class of forge. Every package's errors extend it.
 *
 * `ForgeError.isInstance()` works across duplicate copies of this package (a marker from
 * `Symbol.for`), where `instanceof` would not.
 */
export class ForgeError extends Error {
  private readonly [forgeErrorMarker] = true;
  readonly code: string;
  readonly location: ErrorLocation | undefined;
  readonly hint: string | undefined;

  constructor({ message, code = 'forge-error', location, hint, cause }: ForgeErrorOptions) {
    super(formatMessage(message, location, hint), { cause });
    this.name = 'ForgeError';
    this.code = code;
    this.location = location;
    this.hint = hint;
  }

  /** True for any ForgeError, from any copy of @forge/schema. */
  static isInstance(error: unknown): error is ForgeError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[forgeErrorMarker] === true;
  }
}

function formatMessage(message: string, location: ErrorLocation | undefined, hint: string | undefined): string {
  const where = location == null ? '' : `${location.file}${location.line == null ? '' : `:${location.line}`}: `;
  return `${where}${message}${hint == null ? '' : ` (${hint})`}`;
}

/** Turns anything thrown into a ForgeError, keeping the original as `cause`. */
export function toForgeError(error: unknown): ForgeError {
  if (ForgeError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ForgeError({ message, code: 'unexpected', cause: error });
}
