import { parseOpenAiChatRecord, type OpenAiChatMessage, type OpenAiChatRecord } from '@forge/schema';
import { type PreparedConversation } from '../conversation/prepared-conversation.js';
import { rowPerWindow, toolDefinitionsNote, type DatasetFormat } from './dataset-format.js';

/**
 * An OpenAI chat fine-tuning row: `tool_calls` with string `arguments`, `tools`, and `weight` on
 * every assistant message (0 for turns not to be trained: context, orchestration, hollow reasoning).
 * Reasoning cannot be carried by this format and is left out.
 */
export function toOpenAiChatRecord(conversation: PreparedConversation): OpenAiChatRecord {
  const messages: OpenAiChatMessage[] = [];
  if (conversation.system !== '') messages.push({ role: 'system', content: conversation.system });
  let parallel = false;
  for (const turn of conversation.turns) {
    if (turn.role === 'user') {
      messages.push({ role: 'user', content: turn.text });
    } else if (turn.role === 'tool') {
      messages.push({ role: 'tool', tool_call_id: turn.toolResult?.toolCallId ?? '', content: turn.text });
    } else {
      if (turn.toolCalls.length > 1) parallel = true;
      messages.push({
        role: 'assistant',
        content: turn.text,
        ...(turn.toolCalls.length === 0
          ? {}
          : {
              tool_calls: turn.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.argumentsJson },
              })),
            }),
        weight: turn.train ? 1 : 0,
      });
    }
  }
  return { messages, tools: conversation.tools, parallel_tool_calls: parallel };
}

/** OpenAI chat fine-tuning: rows and what the format cannot carry; no sidecar (the API takes the JSONL as is). */
export const openaiFormat: DatasetFormat<'openai'> = {
  name: 'openai',
  // Tool parameters are JSON Schema objects whose struct differs per tool: one JSON column type.
  parquetColumns: {
    messages: 'STRUCT("role" VARCHAR, "content" VARCHAR, tool_calls STRUCT(id VARCHAR, "type" VARCHAR, "function" STRUCT("name" VARCHAR, arguments VARCHAR))[], tool_call_id VARCHAR, weight INTEGER)[]',
    tools: 'STRUCT("type" VARCHAR, "function" STRUCT("name" VARCHAR, description VARCHAR, parameters JSON))[]',
    parallel_tool_calls: 'BOOLEAN',
  },
  perWindow: true,
  sessionRows: rowPerWindow((window) => JSON.stringify(parseOpenAiChatRecord(toOpenAiChatRecord(window)))),
  notes: (facts) => [
    `openai cannot carry reasoning: the reasoning of ${facts.reasoningTurns} assistant turns is left out`,
    'turns not to be trained on (context, orchestration, hollow reasoning) have weight 0',
    'tools[].function.parameters are JSON Schema objects as OpenAI requires; their struct differs per tool (load with DuckDB or datasets.Json() if you need Arrow)',
    toolDefinitionsNote(facts),
  ],
  sidecars: () => [],
};
