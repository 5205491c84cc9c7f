import { z } from 'zod';
import { createParsers } from '../create-parsers.js';
import { openAiToolCallSchema, toolDefinitionSchema } from './tool-definition.js';

/**
 * A message for axolotl `chat_template` and TRL: every message has every key (null where
 * unused), so Arrow sees one struct type across rows.
 */
export const chatMessageSchema = z
  .object({
    role: z.enum(['system', 'user', 'assistant', 'tool']),
    content: z.string(),
    reasoning_content: z.string().nullable(),
    tool_calls: z.array(openAiToolCallSchema).nullable(),
    tool_call_id: z.string().nullable(),
    name: z.string().nullable(),
    /** Per-message loss mask (axolotl `message_field_training: train`). */
    train: z.boolean(),
  })
  .meta({ id: 'ChatMessage' });
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A `messages` + `tools` row for axolotl `type: chat_template` and TRL's SFTTrainer. */
export const chatMessagesRecordSchema = z
  .object({
    messages: z.array(chatMessageSchema).min(2),
    tools: z.array(toolDefinitionSchema),
  })
  .meta({ id: 'ChatMessagesRecord' });
export type ChatMessagesRecord = z.infer<typeof chatMessagesRecordSchema>;

export const { parse: parseChatMessagesRecord, safeParse: safeParseChatMessagesRecord } = createParsers(
  'ChatMessagesRecord',
  chatMessagesRecordSchema,
);
