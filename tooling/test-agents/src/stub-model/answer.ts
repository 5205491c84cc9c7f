import { type ScriptedTurn, type StubApi, type TurnUsage } from './types.js';

/** What a protocol writer reports back after answering. */
export interface AnswerRecord {
  api: StubApi;
  messageId: string;
  toolCallIds: string[];
  stopReason: string;
  usage: TurnUsage;
  wireUsage: Record<string, unknown>;
}

/** Anthropic stop reasons mapped to OpenAI `finish_reason`s. */
export function openAiFinishReason(turn: ScriptedTurn): string {
  const stopReason = anthropicStopReason(turn);
  switch (stopReason) {
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
      return 'length';
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    default:
      return stopReason;
  }
}

/** The stop reason a turn is sent with, in Anthropic terms. */
export function anthropicStopReason(turn: ScriptedTurn): string {
  if (turn.stopReason != null) return turn.stopReason;
  return (turn.toolCalls?.length ?? 0) > 0 ? 'tool_use' : 'end_turn';
}

/** OpenAI has no cache-write count: cache writes are ordinary prompt tokens there. */
export function openAiUnderstoodUsage(usage: TurnUsage): TurnUsage {
  return { input: usage.input + usage.cacheWrite, output: usage.output, cacheRead: usage.cacheRead, cacheWrite: 0 };
}
