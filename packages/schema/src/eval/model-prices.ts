import { z } from 'zod';
import { createParsers } from '../create-parsers.js';

const perMillion = z.number().nonnegative();

/** One model's prices in USD per million tokens of each kind (Anthropic names: input excludes cache reads and writes). */
export const modelPriceSchema = z
  .object({
    input: perMillion,
    output: perMillion,
    cacheRead: perMillion.optional(),
    cacheWrite: perMillion.optional(),
  })
  .strict()
  .meta({ id: 'ModelPrice' });
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/**
 * `forge compare --prices FILE`: USD per million input, output, cache-read and cache-write tokens,
 * by model id as the sessions record it (`claude-sonnet-4-5`, `kimi-k2`). Prices the sessions
 * whose transcripts record no cost; a missing cache price counts those tokens at the input price.
 */
export const modelPricesSchema = z.record(z.string().min(1), modelPriceSchema).meta({ id: 'ModelPrices' });
export type ModelPrices = z.infer<typeof modelPricesSchema>;

export const { parse: parseModelPrices, safeParse: safeParseModelPrices } = createParsers('ModelPrices', modelPricesSchema);
