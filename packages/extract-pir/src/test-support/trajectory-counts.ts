import { addUsage, emptyUsage, type Session, type Usage } from '@forge/schema';

/** The counts fixtures/real/expected.json records, taken from a Session. */
export interface TrajectoryCounts {
  userPrompts: number;
  assistantMessages: number;
  toolCalls: number;
  toolResults: number;
  toolErrors: number;
  thinkingMessages: number;
  usage: Usage;
  models: string[];
}

/** Counts what a stub-driven run should have produced, the way expected.json counts it. */
export function countTrajectory(sessions: Session[]): TrajectoryCounts {
  const messages = sessions.flatMap((session) => session.messages);
  return {
    userPrompts: messages.filter((message) => message.role === 'user' && message.provenance === 'conversation').length,
    assistantMessages: messages.filter((message) => message.role === 'assistant').length,
    toolCalls: messages.reduce((total, message) => total + message.toolCalls.length, 0),
    toolResults: messages.filter((message) => message.role === 'tool').length,
    toolErrors: messages.filter((message) => message.toolResult?.isError === true).length,
    thinkingMessages: messages.filter((message) => message.reasoning.state !== 'absent').length,
    usage: sessions.reduce((total, session) => addUsage(total, session.usage), emptyUsage()),
    models: [...new Set(sessions.flatMap((session) => session.models))],
  };
}
