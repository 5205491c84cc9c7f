import { type Message } from './message.js';
import { type Session } from './session.js';
import { type Usage } from './usage.js';

/** The counts `forge stats` shows for one session. */
export interface SessionSummary {
  id: string;
  source: Session['source'];
  role: string;
  models: string[];
  title: string | undefined;
  isSubagent: boolean;
  /** User prompts typed as conversation (not harness noise or orchestration). */
  userTurns: number;
  assistantTurns: number;
  toolCalls: number;
  toolErrors: number;
  reasoning: { present: number; hollow: number };
  usage: Usage;
  warnings: number;
  startedAt: string;
  endedAt: string;
}

/** Counts turns, tool calls, tool errors, reasoning and tokens of one session. */
export function summarizeSession(session: Session): SessionSummary {
  let userTurns = 0;
  let assistantTurns = 0;
  let toolCalls = 0;
  let toolErrors = 0;
  const reasoning = { present: 0, hollow: 0 };
  for (const message of session.messages) {
    if (message.role === 'user' && message.provenance === 'conversation') userTurns += 1;
    if (message.role === 'assistant') {
      assistantTurns += 1;
      toolCalls += message.toolCalls.length;
      if (message.reasoning.state === 'present') reasoning.present += 1;
      if (message.reasoning.state === 'hollow') reasoning.hollow += 1;
    }
    if (message.toolResult?.isError === true) toolErrors += 1;
  }
  return {
    id: session.id,
    source: session.source,
    role: session.gastown?.role ?? 'none',
    models: session.models,
    title: session.title,
    isSubagent: session.isSubagent,
    userTurns,
    assistantTurns,
    toolCalls,
    toolErrors,
    reasoning,
    usage: session.usage,
    warnings: session.warnings.length,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
  };
}

/**
 * A message reduced to what {@link summarizeSession} and a reader's cross-file step read: role,
 * provenance, tool call ids and names, the tool result's ids and error flag, the reasoning state,
 * usage, model, time and source ids. Texts, arguments, attachments and metadata are left out, so
 * a usage path (`forge stats`) can hold a project's sessions while they are linked for little
 * memory. Summarising a session of these gives what summarising the whole one gives.
 */
export function summaryMessage(message: Message): Message {
  const summary: Message = {
    role: message.role,
    text: '',
    reasoning: { state: message.reasoning.state },
    toolCalls: message.toolCalls.map((call) => ({ id: call.id, name: call.name, arguments: '' })),
    provenance: message.provenance,
  };
  if (message.toolResult != null) summary.toolResult = { ...message.toolResult, text: '' };
  if (message.usage != null) summary.usage = message.usage;
  if (message.model != null) summary.model = message.model;
  if (message.timestamp != null) summary.timestamp = message.timestamp;
  if (message.sourceIds != null) summary.sourceIds = message.sourceIds;
  return summary;
}
