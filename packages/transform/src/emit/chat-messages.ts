import { type ChatMessage, type ChatMessagesRecord } from '@forge/schema';
import { type PreparedConversation } from '../conversation/prepared-conversation.js';

/**
 * A `messages` + `tools` row for axolotl `chat_template` and TRL: every message has every key
 * (null where unused) so Arrow sees one struct type; `reasoning_content` carries present reasoning
 * (null when absent or hollow: never an empty string a template would render); `train` is the
 * per-message mask (only trainable assistant turns are true). Tool `parameters` are JSON strings
 * (one Arrow type across rows; axolotl parses them back).
 */
export function toChatMessagesRecord(conversation: PreparedConversation): ChatMessagesRecord {
  const messages: ChatMessage[] = [];
  const base = { reasoning_content: null, tool_calls: null, tool_call_id: null, name: null, train: false };
  if (conversation.system !== '') messages.push({ ...base, role: 'system', content: conversation.system });
  for (const turn of conversation.turns) {
    if (turn.role === 'user') {
      messages.push({ ...base, role: 'user', content: turn.text });
    } else if (turn.role === 'tool') {
      messages.push({ ...base, role: 'tool', content: turn.text, tool_call_id: turn.toolResult?.toolCallId ?? null, name: turn.toolResult?.toolName ?? null });
    } else {
      const reasoning = turn.reasoning.state === 'present' && (turn.reasoning.text ?? '') !== '' ? turn.reasoning.text! : null;
      messages.push({
        ...base,
        role: 'assistant',
        content: turn.text,
        reasoning_content: reasoning,
        tool_calls:
          turn.toolCalls.length === 0
            ? null
            : turn.toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.argumentsJson } })),
        train: turn.train,
      });
    }
  }
  const tools = conversation.tools.map((tool) => ({
    type: 'function' as const,
    function: { name: tool.function.name, description: tool.function.description ?? '', parameters: JSON.stringify(tool.function.parameters) },
  }));
  return { messages, tools };
}
