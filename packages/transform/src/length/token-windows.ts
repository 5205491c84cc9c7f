import { normalizeTurns } from '../conversation/prepare-conversation.js';
import { type PreparedConversation, type PreparedTurn } from '../conversation/prepared-conversation.js';
import { type TokenCounter } from '../tokens/token-counter.js';

/** What happens to a conversation over the token budget. */
export type OverBudgetPolicy = 'split' | 'drop';

/** Options of {@link fitTokenBudget}. */
export interface TokenBudgetOptions {
  /** Tokens per row (default 32768). */
  budget?: number;
  /** `split` (default): windows at user-turn boundaries, each with the system prompt and tools; `drop`: leave the row out. */
  overBudget?: OverBudgetPolicy;
}

/** One row's worth of a conversation and its token count. */
export interface TokenWindow {
  /** 0 for the whole conversation or the first window. */
  index: number;
  conversation: PreparedConversation;
  tokens: number;
}

/** What {@link fitTokenBudget} left out, with the reason. */
export interface TokenWindowDrop {
  /** The user-turn segment (0-based) or `all`. */
  part: string;
  reason: string;
}

// Role tags and separators a chat template adds per message; a rough, fixed allowance.
const perMessageOverhead = 4;

/** The tokens one turn adds to a row (text, reasoning, calls, results). */
export function turnTokens(turn: PreparedTurn, counter: TokenCounter): number {
  let total = perMessageOverhead + counter.count(turn.text);
  if (turn.reasoning.state === 'present') total += counter.count(turn.reasoning.text ?? '');
  for (const call of turn.toolCalls) total += counter.count(call.name) + counter.count(call.argumentsJson);
  return total;
}

/** The tokens every row of a conversation carries: the system prompt and the tools. */
export function baseTokens(conversation: PreparedConversation, counter: TokenCounter): number {
  return (conversation.system === '' ? 0 : perMessageOverhead + counter.count(conversation.system)) + (conversation.tools.length === 0 ? 0 : counter.count(JSON.stringify(conversation.tools)));
}

/**
 * Counts a conversation's tokens and fits it to the budget: one window when it fits; otherwise
 * (`split`) consecutive user-turn segments packed into windows that each repeat the system prompt
 * and tools and stay valid for every format, or (`drop`) nothing. A single segment over the budget
 * cannot be cut at a turn boundary without breaking a call/result pair or alternation, and is left out.
 */
export function fitTokenBudget(
  conversation: PreparedConversation,
  counter: TokenCounter,
  options: TokenBudgetOptions = {},
): { windows: TokenWindow[]; dropped: TokenWindowDrop[] } {
  const budget = options.budget ?? 32_768;
  const base = baseTokens(conversation, counter);
  const costs = conversation.turns.map((turn) => turnTokens(turn, counter));
  const total = costs.reduce((sum, cost) => sum + cost, base);
  if (total <= budget) return { windows: [{ index: 0, conversation, tokens: total }], dropped: [] };
  if ((options.overBudget ?? 'split') === 'drop') return { windows: [], dropped: [{ part: 'all', reason: `${total} tokens over the budget of ${budget}` }] };

  const segments: Array<{ start: number; end: number; tokens: number }> = [];
  conversation.turns.forEach((turn, index) => {
    if (turn.role === 'user' || segments.length === 0) segments.push({ start: index, end: index + 1, tokens: costs[index]! });
    else {
      const last = segments.at(-1)!;
      last.end = index + 1;
      last.tokens += costs[index]!;
    }
  });
  const windows: TokenWindow[] = [];
  const dropped: TokenWindowDrop[] = [];
  let current: { start: number; end: number; tokens: number } | undefined;
  const close = () => {
    if (current == null) return;
    const turns = normalizeTurns(conversation.turns.slice(current.start, current.end));
    if (turns.some((turn) => turn.train)) {
      const tokens = turns.reduce((sum, turn) => sum + turnTokens(turn, counter), base);
      windows.push({ index: windows.length, conversation: { ...conversation, turns }, tokens });
    }
    current = undefined;
  };
  segments.forEach((segment, index) => {
    if (base + segment.tokens > budget) {
      close();
      dropped.push({ part: `segment ${index}`, reason: `one user turn and its replies need ${base + segment.tokens} tokens, over the budget of ${budget}` });
      return;
    }
    if (current != null && current.tokens + segment.tokens > budget) close();
    if (current == null) current = { start: segment.start, end: segment.end, tokens: base + segment.tokens };
    else {
      current.end = segment.end;
      current.tokens += segment.tokens;
    }
  });
  close();
  return { windows, dropped };
}
