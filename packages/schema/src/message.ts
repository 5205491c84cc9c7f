import { z } from 'zod';
import { createParsers } from './create-parsers.js';
import { provenanceSchema } from './provenance.js';
import { usageSchema } from './usage.js';

export const messageRoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);
export type MessageRole = z.infer<typeof messageRoleSchema>;

/**
 * Reasoning as a three-way state. `hollow`: the harness stored an empty (usually signed) or
 * redacted thinking block; the model did think, but the text is gone. Never emit it as an empty
 * think block.
 */
export const reasoningSchema = z
  .object({
    state: z.enum(['present', 'absent', 'hollow']),
    text: z.string().optional(),
  })
  .meta({ id: 'Reasoning' });
export type Reasoning = z.infer<typeof reasoningSchema>;

export const toolCallSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The arguments as a raw JSON string, exactly as the model produced them. */
    arguments: z.string(),
  })
  .meta({ id: 'ToolCall' });
export type ToolCall = z.infer<typeof toolCallSchema>;

export const toolResultSchema = z
  .object({
    toolCallId: z.string(),
    toolName: z.string(),
    isError: z.boolean(),
    text: z.string(),
  })
  .meta({ id: 'ToolResult' });
export type ToolResult = z.infer<typeof toolResultSchema>;

/** An image or other binary the message carried; the text holds a placeholder, never the bytes. */
export const attachmentSchema = z
  .object({
    kind: z.enum(['image', 'document', 'file']),
    mimeType: z.string().optional(),
    name: z.string().optional(),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof attachmentSchema>;

/** One turn of a trajectory. */
export const messageSchema = z
  .object({
    role: messageRoleSchema,
    text: z.string(),
    reasoning: reasoningSchema,
    toolCalls: z.array(toolCallSchema),
    toolResult: toolResultSchema.optional(),
    usage: usageSchema.optional(),
    model: z.string().optional(),
    provider: z.string().optional(),
    /** ISO 8601 time the source recorded for this turn. */
    timestamp: z.string().optional(),
    /** The model's stop reason as the source wrote it (`end_turn`, `toolUse`, `stop`, …). */
    stopReason: z.string().optional(),
    /** An error the harness or API reported for this turn. */
    errorMessage: z.string().optional(),
    /** The reasoning effort in force for this turn, where the harness records it. */
    thinkingLevel: z.string().optional(),
    provenance: provenanceSchema,
    attachments: z.array(attachmentSchema).optional(),
    /** The id of the source record(s) (entry id, line uuid, response id). */
    sourceIds: z.array(z.string()).optional(),
    /** Harness data kept for reference, never model input (e.g. Claude Code's toolUseResult). */
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof messageSchema>;

export const { parse: parseMessage, safeParse: safeParseMessage } = createParsers('Message', messageSchema);
