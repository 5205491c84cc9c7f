import type { z } from 'zod';
import { ForgeError, type ErrorLocation } from './forge-error.js';

const marker = Symbol.for('forge.error.SchemaValidationError');

/** A value did not match a forge schema. `issues` lists every mismatch with its path. */
export class SchemaValidationError extends ForgeError {
  private readonly [marker] = true;
  readonly schemaName: string;
  readonly issues: z.core.$ZodIssue[];

  constructor({ schemaName, issues, location, cause }: { schemaName: string; issues: z.core.$ZodIssue[]; location?: ErrorLocation; cause?: unknown }) {
    const summary = issues
      .slice(0, 5)
      .map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    super({
      message: `invalid ${schemaName}: ${summary}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`,
      code: 'schema-validation',
      location,
      hint: `the shape is in @forge/schema json-schema/${schemaName}.json`,
      cause,
    });
    this.name = 'SchemaValidationError';
    this.schemaName = schemaName;
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is SchemaValidationError {
    return typeof error === 'object' && error != null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
