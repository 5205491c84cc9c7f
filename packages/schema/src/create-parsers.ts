import type { z } from 'zod';
import type { ErrorLocation } from './errors/forge-error.js';
import { SchemaValidationError } from './errors/schema-validation-error.js';

/** The result of a `safeParseX` call: never throws. */
export type SafeParseResult<TValue> = { success: true; data: TValue } | { success: false; error: SchemaValidationError };

/** Builds the `parseX` (throws SchemaValidationError) and `safeParseX` pair for one schema. */
export function createParsers<TSchema extends z.ZodType>(schemaName: string, schema: TSchema) {
  function safeParse(value: unknown, location?: ErrorLocation): SafeParseResult<z.output<TSchema>> {
    const result = schema.safeParse(value);
    if (result.success) return { success: true, data: result.data };
    return { success: false, error: new SchemaValidationError({ schemaName, issues: result.error.issues, location, cause: result.error }) };
  }
  function parse(value: unknown, location?: ErrorLocation): z.output<TSchema> {
    const result = safeParse(value, location);
    if (!result.success) throw result.error;
    return result.data;
  }
  return { parse, safeParse };
}
