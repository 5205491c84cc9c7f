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
    /**
     * What the response cost in USD, as the transcript records it (pi/omp `usage.cost.total`,
     * OpenCode's message `cost`); absent when it records none. In a total: absent when any part
     * with tokens had none (an unknown cost is never counted as 0).
     */
    cost: z.number().nonnegative().optional(),
  })
  .meta({ id: 'Usage', description: 'Token usage: input (uncached), output, cache read, cache write; the recorded cost in USD when the transcript has one.' });
export type Usage = z.infer<typeof usageSchema>;

export const { parse: parseUsage, safeParse: safeParseUsage } = createParsers('Usage', usageSchema);

/** A zero usage, to start a total from. */
export function emptyUsage(): Usage {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}

/** The tokens of a usage, all four kinds. */
export function usageTokens(usage: Usage): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
}

/**
 * Adds two usages field by field. The sum has a cost when both sides' costs are known, a side
 * without tokens counting as known (so a total started from {@link emptyUsage} keeps its parts'
 * costs, and one part with tokens but no recorded cost makes the total's cost unknown).
 */
export function addUsage(left: Usage, right: Usage): Usage {
  const sum: Usage = {
    input: left.input + right.input,
    output: left.output + right.output,
    cacheRead: left.cacheRead + right.cacheRead,
    cacheWrite: left.cacheWrite + right.cacheWrite,
  };
  const leftCost = left.cost ?? (usageTokens(left) === 0 ? 0 : undefined);
  const rightCost = right.cost ?? (usageTokens(right) === 0 ? 0 : undefined);
  if (leftCost != null && rightCost != null && (left.cost != null || right.cost != null)) sum.cost = leftCost + rightCost;
  return sum;
}
