import { z } from 'zod';
import { createParsers } from '../create-parsers.js';
import { openAiToolCallSchema } from './tool-definition.js';

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

/**
 * A tool definition whose `parameters` JSON Schema is a JSON string: tools differ in their
 * parameters, so as objects they give Arrow one huge union struct per column, or a type conflict
 * (`type: "string"` vs `type: ["string", "null"]`). axolotl's chat_template parses the string
 * back (`_get_tools`); for TRL, `json.loads` it before `apply_chat_template`.
 */
export const chatToolDefinitionSchema = z
  .object({
    type: z.literal('function'),
    function: z.object({
      name: z.string().min(1),
      /** Empty when the source had no description. */
      description: z.string(),
      /** The JSON Schema of the arguments, serialized. */
      parameters: z.string(),
    }),
  })
  .meta({ id: 'ChatToolDefinition' });
export type ChatToolDefinition = z.infer<typeof chatToolDefinitionSchema>;

/** A `messages` + `tools` row for axolotl `type: chat_template` and TRL's SFTTrainer. */
export const chatMessagesRecordSchema = z
  .object({
    messages: z.array(chatMessageSchema).min(2),
    tools: z.array(chatToolDefinitionSchema),
  })
  .meta({ id: 'ChatMessagesRecord' });
export type ChatMessagesRecord = z.infer<typeof chatMessagesRecordSchema>;

export const { parse: parseChatMessagesRecord, safeParse: safeParseChatMessagesRecord } = createParsers(
  'ChatMessagesRecord',
  chatMessagesRecordSchema,
);
