import { ForgeError, type ErrorLocation } from '@forge/schema';

const marker = Symbol.for('forge.error.ClaudeExtractError');

/** Why Claude Code transcripts could not be read at all (bad content never throws; it becomes a warning). */
export type ClaudeExtractErrorCode = 'claude-file-unreadable' | 'claude-root-missing';

/** A Claude Code transcript file or config root that cannot be read. */
export class ClaudeExtractError extends ForgeError {
  private readonly [marker] = true;
  declare readonly code: ClaudeExtractErrorCode;

  constructor({ message, code, location, hint, cause }: { message: string; code: ClaudeExtractErrorCode; location?: ErrorLocation; hint?: string; cause?: unknown }) {
    super({ message, code, ...(location == null ? {} : { location }), ...(hint == null ? {} : { hint }), cause });
    this.name = 'ClaudeExtractError';
  }

  /** True for a ClaudeExtractError from any copy of this package. */
  static override isInstance(error: unknown): error is ClaudeExtractError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
