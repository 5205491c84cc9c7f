import { z } from 'zod';
import { createParsers } from '../create-parsers.js';

export const shareGptTurnSchema = z
  .object({
    from: z.enum(['human', 'gpt', 'function_call', 'observation']),
    value: z.string(),
  })
  .meta({ id: 'ShareGptTurn' });
export type ShareGptTurn = z.infer<typeof shareGptTurnSchema>;

const promptSide = new Set(['human', 'observation']);

/**
 * LLaMA-Factory's rule, which drops a row silently when broken: odd positions (1st, 3rd, …) are
 * `human`/`observation`, even ones `gpt`/`function_call`, and an SFT row ends on the model side.
 */
export function shareGptAlternationProblem(turns: readonly ShareGptTurn[]): string | undefined {
  if (turns.length === 0) return 'no turns';
  for (const [index, turn] of turns.entries()) {
    const wantPrompt = index % 2 === 0;
    if (promptSide.has(turn.from) !== wantPrompt) {
      return `turn ${index} is "${turn.from}" where ${wantPrompt ? 'human or observation' : 'gpt or function_call'} must stand`;
    }
  }
  if (turns.length % 2 !== 0) return 'the row ends on a human/observation turn; an SFT row must end on gpt or function_call';
  return undefined;
}

/** A LLaMA-Factory `sharegpt` row: `tools` is a JSON string, `system` always present (may be empty). */
export const shareGptRecordSchema = z
  .object({
    conversations: z.array(shareGptTurnSchema).superRefine((turns, context) => {
      const problem = shareGptAlternationProblem(turns);
      if (problem != null) context.addIssue({ code: 'custom', message: `breaks LLaMA-Factory alternation: ${problem}` });
    }).meta({
      description:
        'Strict alternation: positions 1, 3, … are human/observation, positions 2, 4, … gpt/function_call; the row ends on gpt/function_call.',
    }),
    system: z.string(),
    tools: z.string(),
  })
  .meta({ id: 'ShareGptRecord' });
export type ShareGptRecord = z.infer<typeof shareGptRecordSchema>;

export const { parse: parseShareGptRecord, safeParse: safeParseShareGptRecord } = createParsers('ShareGptRecord', shareGptRecordSchema);

/** An entry of LLaMA-Factory's `data/dataset_info.json`. */
export const llamaFactoryDatasetInfoEntrySchema = z
  .object({
    file_name: z.string(),
    formatting: z.literal('sharegpt'),
    ranking: z.boolean().optional(),
    columns: z.object({
      messages: z.string(),
      system: z.string().optional(),
      tools: z.string().optional(),
      chosen: z.string().optional(),
      rejected: z.string().optional(),
    }),
    tags: z
      .object({
        role_tag: z.string(),
        content_tag: z.string(),
        user_tag: z.string(),
        assistant_tag: z.string(),
        observation_tag: z.string().optional(),
        function_tag: z.string().optional(),
        system_tag: z.string().optional(),
      })
      .optional(),
  })
  .meta({ id: 'LlamaFactoryDatasetInfoEntry' });
export type LlamaFactoryDatasetInfoEntry = z.infer<typeof llamaFactoryDatasetInfoEntrySchema>;

export const { parse: parseLlamaFactoryDatasetInfoEntry, safeParse: safeParseLlamaFactoryDatasetInfoEntry } = createParsers(
  'LlamaFactoryDatasetInfoEntry',
  llamaFactoryDatasetInfoEntrySchema,
);
