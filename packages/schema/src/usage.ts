import { z } from 'zod';
import { createParsers } from './create-parsers.js';

const tokenCount = z.number().int().nonnegative();

/** Token usage of one model response, or a total. Anthropic names: input excludes cache reads and writes. */
export const usageSchema = z
  .object({
    input: tokenCount,
    output: tokenCount,
    cacheRead: tokenCount,
    cacheWrite: tokenCount,
  })
  .meta({ id: 'Usage', description: 'Token usage: input (uncached), output, cache read, cache write.' });
export type Usage = z.infer<typeof usageSchema>;

export const { parse: parseUsage, safeParse: safeParseUsage } = createParsers('Usage', usageSchema);

/** A zero usage, to start a total from. */
export function emptyUsage(): Usage {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}

/** Adds two usages field by field. */
export function addUsage(left: Usage, right: Usage): Usage {
  return {
    input: left.input + right.input,
    output: left.output + right.output,
    cacheRead: left.cacheRead + right.cacheRead,
    cacheWrite: left.cacheWrite + right.cacheWrite,
  };
}
