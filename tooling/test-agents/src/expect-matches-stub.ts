import { type Session } from '@forge/schema';
import { expect } from 'vitest';
import { expectedUsage, type ScenarioExpectation } from './scenarios.js';
import { type StubModel } from './stub-model/start-stub-model.js';
import { type ScriptedToolCall, type ScriptedTurn, type StubApi } from './stub-model/types.js';
import { countTrajectory, tokensOnly } from './trajectory-counts.js';

/** What a reader's Sessions of one stub-driven run are held against. */
export interface StubComparison {
  /** Counts the run should give (a scenario's `expected`). */
  expected: ScenarioExpectation;
  /** The turns served, for the usage total as the API's client understands it. */
  script: ScriptedTurn[];
  api: StubApi;
  /** How the program names a call the stub sent with `servedId` (Gemini CLI: `<tool>__<id>`); default as sent. */
  callId?: (servedId: string, call: ScriptedToolCall) => string;
}

/**
 * Asserts (with vitest) that a reader read a run exactly: no warnings; the scenario's counts and
 * usage total; per assistant message, the usage the stub served for that answer; the tool call
 * ids the stub sent, in order; and no answer served from the fallback.
 */
export function expectMatchesStub(sessions: Session[], stub: StubModel, comparison: StubComparison): void {
  expect(sessions.flatMap((session) => session.warnings)).toEqual([]);
  const counts = countTrajectory(sessions);
  expect({
    userPrompts: counts.userPrompts,
    assistantMessages: counts.assistantMessages,
    toolCalls: counts.toolCalls,
    toolErrors: counts.toolErrors,
    thinkingBlocks: counts.thinkingMessages,
    usage: counts.usage,
  }).toEqual({ ...comparison.expected, usage: expectedUsage(comparison.script, comparison.api) });
  const assistants = sessions.flatMap((session) => session.messages).filter((message) => message.role === 'assistant');
  const served = stub.mainServed();
  expect(assistants.map((message) => (message.usage == null ? undefined : tokensOnly(message.usage)))).toEqual(served.map((answer) => answer.usage));
  const callId = comparison.callId ?? ((id: string): string => id);
  expect(assistants.flatMap((message) => message.toolCalls.map((call) => call.id))).toEqual(
    served.flatMap((answer) => answer.toolCallIds.map((id, index) => callId(id, answer.turn.toolCalls![index]!))),
  );
  expect(served.every((answer) => !answer.fallback)).toBe(true);
}
