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
 * The unit windows are made of: an assistant turn and the results of its calls, or at a segment
 * start the user turn(s) before it too.
 */
interface Unit {
  start: number;
  end: number;
  tokens: number;
  /** Index of the first turn of the segment (user turn) this unit belongs to. */
  segmentStart: number;
  /** Whether the unit ends with tool results (which a window cannot end on). */
  endsWithResults: boolean;
}

/**
 * Counts a conversation's tokens and fits it to the budget: one window when it fits; otherwise
 * (`split`) windows cut at turn boundaries, each repeating the system prompt and tools and valid
 * for every format. A window starts at a user turn, or inside a long user turn (agent sessions are
 * often one prompt and hundreds of tool calls) at an assistant turn, with that user turn repeated
 * in front. A window ends on an assistant turn (possibly on its calls, without their results); the
 * next window then starts again at that turn, as untrained context, so what follows sees the
 * results. A unit over the budget on its own is left out and reported; `drop` leaves the whole
 * row out.
 */
export function fitTokenBudget(
  conversation: PreparedConversation,
  counter: TokenCounter,
  options: TokenBudgetOptions = {},
): { windows: TokenWindow[]; dropped: TokenWindowDrop[] } {
  const budget = options.budget ?? 32_768;
  const base = baseTokens(conversation, counter);
  const { turns } = conversation;
  const costs = turns.map((turn) => turnTokens(turn, counter));
  // Windows reuse these counts; only turns that normalization rebuilt are counted again.
  const costByTurn = new Map(turns.map((turn, index) => [turn, costs[index]!]));
  const total = costs.reduce((sum, cost) => sum + cost, base);
  if (total <= budget) return { windows: [{ index: 0, conversation, tokens: total }], dropped: [] };
  if ((options.overBudget ?? 'split') === 'drop') return { windows: [], dropped: [{ part: 'all', reason: `${total} tokens over the budget of ${budget}` }] };

  const units: Unit[] = [];
  let segmentStart = 0;
  turns.forEach((turn, index) => {
    const previous = turns[index - 1];
    const startsSegment = turn.role === 'user' && previous?.role !== 'user';
    if (startsSegment) segmentStart = index;
    const startsUnit = startsSegment || (turn.role === 'assistant' && previous?.role !== 'user');
    if (startsUnit || units.length === 0) units.push({ start: index, end: index + 1, tokens: costs[index]!, segmentStart, endsWithResults: turn.role === 'tool' });
    else {
      const unit = units.at(-1)!;
      unit.end = index + 1;
      unit.tokens += costs[index]!;
      unit.endsWithResults = turn.role === 'tool';
    }
  });
  const promptOf = (unit: Unit): number[] => {
    if (unit.start === unit.segmentStart) return [];
    const indices: number[] = [];
    for (let index = unit.segmentStart; index < turns.length && turns[index]!.role === 'user'; index += 1) indices.push(index);
    return indices;
  };
  const range = (start: number, end: number) => Array.from({ length: end - start }, (_, offset) => start + offset);

  const windows: TokenWindow[] = [];
  const dropped: TokenWindowDrop[] = [];
  let first = 0;
  let overlapping = false;
  while (first < units.length) {
    const prompt = promptOf(units[first]!);
    let tokens = base + units[first]!.tokens + prompt.reduce((sum, index) => sum + costs[index]!, 0);
    if (tokens > budget) {
      dropped.push({ part: `unit ${first}`, reason: `one assistant turn and its tool results need ${tokens} tokens with the system prompt, tools and user turn, over the budget of ${budget}` });
      first += 1;
      overlapping = false;
      continue;
    }
    let last = first;
    while (last + 1 < units.length && tokens + units[last + 1]!.tokens <= budget) {
      last += 1;
      tokens += units[last]!.tokens;
    }
    const indices = [...prompt, ...units.slice(first, last + 1).flatMap((unit) => range(unit.start, unit.end))];
    let windowTurns = indices.map((index) => turns[index]!);
    if (overlapping) {
      // This unit was trained at the end of the previous window; here it is context for what follows.
      const repeated = turns[units[first]!.start]!;
      windowTurns = windowTurns.map((turn) => (turn === repeated ? { ...turn, train: false } : turn));
    }
    windowTurns = normalizeTurns(windowTurns);
    if (windowTurns.some((turn) => turn.train)) {
      const windowTokens = windowTurns.reduce((sum, turn) => sum + (costByTurn.get(turn) ?? turnTokens(turn, counter)), base);
      windows.push({ index: windows.length, conversation: { ...conversation, turns: windowTurns }, tokens: windowTokens });
    }
    if (last === units.length - 1) break;
    // The row ended on the last unit's calls without their results: start the next window on that
    // unit again, so what follows sees the results.
    if (units[last]!.endsWithResults && last === first) {
      dropped.push({ part: `unit ${first}`, reason: `its tool results and the assistant turn after them do not fit together in ${budget} tokens: the results are left out` });
    }
    overlapping = units[last]!.endsWithResults && last > first;
    first = overlapping ? last : last + 1;
  }
  return { windows, dropped };
}
