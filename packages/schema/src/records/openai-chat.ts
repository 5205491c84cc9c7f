import { z } from 'zod';
import { createParsers } from '../create-parsers.js';
import { openAiToolCallSchema, toolDefinitionSchema } from './tool-definition.js';

const systemOrUser = z.object({ role: z.enum(['system', 'user']), content: z.string() });
export const openAiAssistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string(),
  tool_calls: z.array(openAiToolCallSchema).min(1).optional(),
  /** 0 masks the turn from training (OpenAI trains only assistant turns). */
  weight: z.union([z.literal(0), z.literal(1)]),
}).meta({ id: 'OpenAiAssistantMessage' });
const tool = z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: z.string() });

export const openAiChatMessageSchema = z.discriminatedUnion('role', [systemOrUser, openAiAssistantMessageSchema, tool]).meta({ id: 'OpenAiChatMessage' });
export type OpenAiChatMessage = z.infer<typeof openAiChatMessageSchema>;

/** An OpenAI chat fine-tuning row. Reasoning cannot be carried in this format. */
export const openAiChatRecordSchema = z
  .object({
    messages: z.array(openAiChatMessageSchema).min(2),
    tools: z.array(toolDefinitionSchema),
    parallel_tool_calls: z.boolean(),
  })
  .meta({ id: 'OpenAiChatRecord' });
export type OpenAiChatRecord = z.infer<typeof openAiChatRecordSchema>;

export const { parse: parseOpenAiChatRecord, safeParse: safeParseOpenAiChatRecord } = createParsers('OpenAiChatRecord', openAiChatRecordSchema);
