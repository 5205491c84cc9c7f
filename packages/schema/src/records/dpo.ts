import { z } from 'zod';
import { createParsers } from '../create-parsers.js';
import { chatMessageSchema } from './chat-messages.js';
import { openAiAssistantMessageSchema, openAiChatMessageSchema } from './openai-chat.js';
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
