import { isJsonObject, tokenCount } from '@forge/reader-kit';
import { type Usage } from '@forge/schema';

/**
 * Codex's `TokenUsage` (OpenAI names: `input_tokens` includes cached and cache-written tokens) in
 * forge's Anthropic names, where input is the uncached rest (codex.md §5). ccusage counts the same way.
 */
export function usageFromCodex(raw: unknown): Usage | undefined {
  if (!isJsonObject(raw)) return undefined;
  const cacheRead = tokenCount(raw.cached_input_tokens);
  const cacheWrite = tokenCount(raw.cache_write_input_tokens);
  return {
    input: Math.max(0, tokenCount(raw.input_tokens) - cacheRead - cacheWrite),
    output: tokenCount(raw.output_tokens),
    cacheRead,
    cacheWrite,
  };
}

/** Whether two raw totals are the same numbers (Codex repeats a `token_count` event without a new response). */
export function sameTotals(left: unknown, right: unknown): boolean {
  if (!isJsonObject(left) || !isJsonObject(right)) return false;
  return ['input_tokens', 'cached_input_tokens', 'cache_write_input_tokens', 'output_tokens', 'reasoning_output_tokens', 'total_tokens'].every(
    (key) => tokenCount(left[key]) === tokenCount(right[key]),
  );
}
