import { z } from 'zod';
import { createParsers } from '../create-parsers.js';
import { chatMessageSchema } from './chat-messages.js';
import { openAiAssistantMessageSchema, openAiChatMessageSchema } from './openai-chat.js';
import { shareGptAlternationProblem, shareGptTurnSchema } from './sharegpt.js';
import { toolDefinitionSchema } from './tool-definition.js';

/** A TRL DPOTrainer row with an explicit prompt; chosen and rejected are the completions. */
export const trlDpoRecordSchema = z
  .object({
    prompt: z.array(chatMessageSchema).min(1),
    chosen: z.array(chatMessageSchema).min(1),
    rejected: z.array(chatMessageSchema).min(1),
    tools: z.array(toolDefinitionSchema),
  })
  .meta({ id: 'TrlDpoRecord' });
export type TrlDpoRecord = z.infer<typeof trlDpoRecordSchema>;

export const { parse: parseTrlDpoRecord, safeParse: safeParseTrlDpoRecord } = createParsers('TrlDpoRecord', trlDpoRecordSchema);

const openAiAssistantOutput = z.array(openAiAssistantMessageSchema).length(1);

/** An OpenAI preference fine-tuning row: outputs are single assistant messages. */
export const openAiDpoRecordSchema = z
  .object({
    input: z.object({
      messages: z.array(openAiChatMessageSchema).min(1),
      tools: z.array(toolDefinitionSchema),
      parallel_tool_calls: z.boolean(),
    }),
    preferred_output: openAiAssistantOutput,
    non_preferred_output: openAiAssistantOutput,
  })
  .meta({ id: 'OpenAiDpoRecord' });
export type OpenAiDpoRecord = z.infer<typeof openAiDpoRecordSchema>;

export const { parse: parseOpenAiDpoRecord, safeParse: safeParseOpenAiDpoRecord } = createParsers('OpenAiDpoRecord', openAiDpoRecordSchema);

/**
 * A TRL KTOTrainer row (unpaired preference, conversational): a prompt, one completion, and
 * whether the completion is desirable.
 */
export const trlKtoRecordSchema = z
  .object({
    prompt: z.array(chatMessageSchema).min(1),
    completion: z.array(chatMessageSchema).min(1),
    label: z.boolean(),
    tools: z.array(toolDefinitionSchema),
  })
  .meta({ id: 'TrlKtoRecord' });
export type TrlKtoRecord = z.infer<typeof trlKtoRecordSchema>;

export const { parse: parseTrlKtoRecord, safeParse: safeParseTrlKtoRecord } = createParsers('TrlKtoRecord', trlKtoRecordSchema);

/** chosen and rejected of a ranking row: one model turn each. */
const shareGptModelTurn = z.object({ from: z.enum(['gpt', 'function_call']), value: z.string() });

/**
 * A LLaMA-Factory `sharegpt` ranking row (`ranking: true` in dataset_info.json): the shared
 * conversation ends on a human/observation turn, and chosen and rejected are one model turn each.
 */
export const shareGptRankingRecordSchema = z
  .object({
    conversations: z.array(shareGptTurnSchema).superRefine((turns, context) => {
      // The prompt side of a ranking row is an SFT row minus its last model turn: odd length, prompt turns at odd positions.
      const problem = shareGptAlternationProblem([...turns, { from: 'gpt', value: '' }]);
      if (problem != null) context.addIssue({ code: 'custom', message: `breaks LLaMA-Factory alternation: ${problem}` });
    }),
    chosen: shareGptModelTurn,
    rejected: shareGptModelTurn,
    system: z.string(),
    tools: z.string(),
  })
  .meta({ id: 'ShareGptRankingRecord' });
export type ShareGptRankingRecord = z.infer<typeof shareGptRankingRecordSchema>;

export const { parse: parseShareGptRankingRecord, safeParse: safeParseShareGptRankingRecord } = createParsers('ShareGptRankingRecord', shareGptRankingRecordSchema);
