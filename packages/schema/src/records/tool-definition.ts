import { z } from 'zod';

/** An OpenAI-style function tool definition, as `tools` lists carry them. */
export const toolDefinitionSchema = z
  .object({
    type: z.literal('function'),
    function: z.object({
      name: z.string().min(1),
      description: z.string().optional(),
      /** A JSON Schema object describing the arguments. */
      parameters: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: 'ToolDefinition' });
export type ToolDefinition = z.infer<typeof toolDefinitionSchema>;

/** An assistant's tool call in OpenAI shape; `arguments` stays a JSON string (Arrow needs one type). */
export const openAiToolCallSchema = z
  .object({
    id: z.string(),
    type: z.literal('function'),
    function: z.object({ name: z.string().min(1), arguments: z.string() }),
  })
  .meta({ id: 'OpenAiToolCall' });
export type OpenAiToolCall = z.infer<typeof openAiToolCallSchema>;
