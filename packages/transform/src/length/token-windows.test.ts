import { shareGptAlternationProblem } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { toShareGptRecord } from '../formats/sharegpt-format.js';
import { loadSessionFixture } from '../test-support/fixtures.js';
import { preparedOrThrow } from '../test-support/prepared.js';
import { type TokenCounter } from '../tokens/token-counter.js';
import { type PreparedConversation, type PreparedTurn } from '../conversation/prepared-conversation.js';
import { baseTokens, fitTokenBudget, turnTokens, type TokenWindow } from './token-windows.js';

// One token per character: budgets in tests are then easy to reason about.
const characters: TokenCounter = { name: 'characters', count: (text) => text.length };

const conversation = preparedOrThrow(loadSessionFixture('pir-rename.session.json'));

/** Every tool call (with its result) and every assistant text of the conversation is in some window. */
function expectEveryCallAndAnswerKept(original: PreparedConversation, windows: readonly TokenWindow[]): void {
  const windowTurns = windows.flatMap((window) => window.conversation.turns);
  const callIds = (list: readonly PreparedTurn[]) => new Set(list.flatMap((turn) => turn.toolCalls.map((call) => call.id)));
  const resultIds = (list: readonly PreparedTurn[]) => new Set(list.flatMap((turn) => (turn.toolResult == null ? [] : [turn.toolResult.toolCallId])));
  const texts = (list: readonly PreparedTurn[]) => new Set(list.filter((turn) => turn.role === 'assistant' && turn.text !== '').map((turn) => turn.text));
  expect(callIds(windowTurns)).toEqual(callIds(original.turns));
  expect(resultIds(windowTurns)).toEqual(resultIds(original.turns));
  expect(texts(windowTurns)).toEqual(texts(original.turns));
}

describe('fitTokenBudget', () => {
  const total = conversation.turns.reduce((sum, turn) => sum + turnTokens(turn, characters), baseTokens(conversation, characters));

  it('should return the whole conversation as one window when it fits', () => {
    const { windows, dropped } = fitTokenBudget(conversation, characters, { budget: total });
    expect(windows).toHaveLength(1);
    expect(windows[0]!.tokens).toBe(total);
    expect(dropped).toEqual([]);
  });

  it('should split at user turns into windows that keep the system prompt and tools and stay valid', () => {
    const { windows } = fitTokenBudget(conversation, characters, { budget: total - 1 });
    expect(windows).toHaveLength(2);
    for (const window of windows) {
      expect(window.conversation.system).toBe(conversation.system);
      expect(window.conversation.tools).toEqual(conversation.tools);
      expect(window.conversation.turns[0]!.role).toBe('user');
      expect(window.tokens).toBeLessThanOrEqual(total - 1);
      expect(shareGptAlternationProblem(toShareGptRecord(window.conversation).conversations)).toBeUndefined();
    }
    expectEveryCallAndAnswerKept(conversation, windows);
  });

  it('should drop the row when asked to', () => {
    const { windows, dropped } = fitTokenBudget(conversation, characters, { budget: total - 1, overBudget: 'drop' });
    expect(windows).toEqual([]);
    expect(dropped[0]!.reason).toContain(`${total} tokens over the budget of ${total - 1}`);
  });

  it('should split a long user turn at assistant turns, repeating the user turn in front of each window', () => {
    // One user turn, then four assistant steps: the shape of most agent sessions.
    const agent = preparedOrThrow(loadSessionFixture('claude-fix-test.session.json'));
    const agentTotal = agent.turns.reduce((sum, turn) => sum + turnTokens(turn, characters), baseTokens(agent, characters));
    // The tightest budget at which nothing is reported lost.
    let budget = agentTotal - 1;
    while (fitTokenBudget(agent, characters, { budget: budget - 1 }).dropped.length === 0) budget -= 1;
    const { windows, dropped } = fitTokenBudget(agent, characters, { budget });
    expect(dropped).toEqual([]);
    expect(windows.length).toBeGreaterThanOrEqual(2);
    for (const window of windows) {
      expect(window.tokens).toBeLessThanOrEqual(budget);
      expect(window.conversation.turns.slice(0, 2).map((turn) => turn.text)).toEqual(agent.turns.slice(0, 2).map((turn) => turn.text));
      expect(shareGptAlternationProblem(toShareGptRecord(window.conversation).conversations)).toBeUndefined();
    }
    expectEveryCallAndAnswerKept(agent, windows);
  });

  it('should leave out a unit that alone is over the budget', () => {
    const { windows, dropped } = fitTokenBudget(conversation, characters, { budget: 10 });
    expect(windows).toEqual([]);
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped[0]!.reason).toMatch(/over the budget of 10$/);
  });

  it('should count each text of a long session once, and give every window the tokens of its own turns', () => {
    // A long agent run: one prompt, then hundreds of steps (some with parallel calls) and their
    // results, every text distinct; the budget cuts it into windows that repeat a step as context.
    const turns: PreparedTurn[] = [{ role: 'user', text: 'prompt: fix the build', reasoning: { state: 'absent' }, toolCalls: [], toolResult: undefined, train: false }];
    for (let step = 0; step < 300; step += 1) {
      const calls = Array.from({ length: step % 7 === 0 ? 2 : 1 }, (_, index) => ({ id: `call-${step}-${index}`, name: `tool-${step}-${index}`, arguments: { step }, argumentsJson: JSON.stringify({ step, index }) }));
      const reasoning = step % 3 === 0 ? { state: 'present' as const, text: `thinking about step ${step}` } : { state: 'absent' as const };
      turns.push({ role: 'assistant', text: `step ${step}: running ${calls.length} calls`, reasoning, toolCalls: calls, toolResult: undefined, train: true });
      for (const call of calls) turns.push({ role: 'tool', text: `output of ${call.id} `.repeat(1 + ((step * 13) % 40)), reasoning: { state: 'absent' }, toolCalls: [], toolResult: { toolCallId: call.id, toolName: call.name, isError: false, text: '' }, train: false });
    }
    turns.push({ role: 'assistant', text: 'done', reasoning: { state: 'absent' }, toolCalls: [], toolResult: undefined, train: true });
    const long: PreparedConversation = { sessionId: 'long', source: 'pi', system: 'You are a coding agent.', tools: conversation.tools, turns };
    const counted = new Map<string, number>();
    const counting: TokenCounter = { name: 'counting', count: (text) => (counted.set(text, (counted.get(text) ?? 0) + 1), text.length) };
    const { windows, dropped } = fitTokenBudget(long, counting, { budget: 4000 });
    expect(dropped).toEqual([]);
    expect(windows.length).toBeGreaterThan(10);
    // Some windows start on a step the previous one trained: it is context here (a copy of that turn).
    expect(windows.some((window) => window.conversation.turns[1]?.role === 'assistant' && !window.conversation.turns[1].train)).toBe(true);
    expect([...counted].filter(([, times]) => times > 1)).toEqual([]);
    for (const window of windows) {
      expect(window.tokens).toBe(window.conversation.turns.reduce((sum, turn) => sum + turnTokens(turn, characters), baseTokens(long, characters)));
    }
    expectEveryCallAndAnswerKept(long, windows);
  });
});
