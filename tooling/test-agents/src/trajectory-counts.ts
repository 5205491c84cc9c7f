import { addUsage, emptyUsage, type Session, type Usage } from '@forge/schema';

/** What a reader made of a stub-driven run, counted the way a scenario's `expected` counts it. */
export interface TrajectoryCounts {
  /** User messages the user typed (provenance `conversation`). */
  userPrompts: number;
  assistantMessages: number;
  toolCalls: number;
  toolResults: number;
  toolErrors: number;
  /** Assistant messages with reasoning (present or hollow). */
  thinkingMessages: number;
  /** Sum of the sessions' token totals (the stub serves tokens; a recorded cost is the harness's price, checked apart). */
  usage: Usage;
  models: string[];
}

/** Counts the messages of a reader's Sessions, to compare with a scenario's `expected` and the stub's `served`. */
export function countTrajectory(sessions: Session[]): TrajectoryCounts {
  const messages = sessions.flatMap((session) => session.messages);
  return {
    userPrompts: messages.filter((message) => message.role === 'user' && message.provenance === 'conversation').length,
    assistantMessages: messages.filter((message) => message.role === 'assistant').length,
    toolCalls: messages.reduce((total, message) => total + message.toolCalls.length, 0),
    toolResults: messages.filter((message) => message.role === 'tool').length,
    toolErrors: messages.filter((message) => message.toolResult?.isError === true).length,
    thinkingMessages: messages.filter((message) => message.reasoning.state !== 'absent').length,
    usage: tokensOnly(sessions.reduce((total, session) => addUsage(total, session.usage), emptyUsage())),
    models: [...new Set(sessions.flatMap((session) => session.models))],
  };
}

/** A usage's token counts without the recorded cost (the stub serves tokens; the cost is the harness's price). */
export function tokensOnly({ input, output, cacheRead, cacheWrite }: Usage): Usage {
  return { input, output, cacheRead, cacheWrite };
}
