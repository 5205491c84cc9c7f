import { type Message } from '@forge/schema';

/** What a reader knows about one tool result. */
export interface ToolResultFacts {
  toolCallId: string;
  toolName: string;
  isError: boolean;
  text: string;
  /** The source record(s) it came from. */
  sourceIds?: string[];
  /** ISO 8601. */
  timestamp?: string;
}

/** The canonical `tool` message for a tool result (the same shape from every reader). */
export function toolResultMessage(facts: ToolResultFacts): Message {
  const message: Message = {
    role: 'tool',
    text: facts.text,
    reasoning: { state: 'absent' },
    toolCalls: [],
    toolResult: { toolCallId: facts.toolCallId, toolName: facts.toolName, isError: facts.isError, text: facts.text },
    provenance: 'conversation',
  };
  if (facts.sourceIds != null) message.sourceIds = facts.sourceIds;
  if (facts.timestamp != null) message.timestamp = facts.timestamp;
  return message;
}
