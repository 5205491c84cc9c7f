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

// System prompts and tool lists repeat from session to session (every Claude Code session carries
// the same tens of KB of tool definitions): their counts are kept per counter, by text. Bounded:
// a home with more distinct ones than this starts afresh.
const repeatedTextCounts = new WeakMap<TokenCounter, Map<string, number>>();
const repeatedTextLimit = 64;

function countRepeatedText(text: string, counter: TokenCounter): number {
  let counts = repeatedTextCounts.get(counter);
  if (counts == null) repeatedTextCounts.set(counter, (counts = new Map<string, number>()));
  let count = counts.get(text);
  if (count == null) {
    count = counter.count(text);
    if (counts.size >= repeatedTextLimit) counts.clear();
    counts.set(text, count);
  }
  return count;
}

/** The tokens every row of a conversation carries: the system prompt and the tools. */
export function baseTokens(conversation: PreparedConversation, counter: TokenCounter): number {
  return (
    (conversation.system === '' ? 0 : perMessageOverhead + countRepeatedText(conversation.system, counter)) +
    (conversation.tools.length === 0 ? 0 : countRepeatedText(JSON.stringify(conversation.tools), counter))
  );
}

/**
 * The unit windows are made of: an assistant turn and the results of its calls, or at a segment
 * start the user turn(s) before it too.
 */
interface Unit {
  /** Its index in the conversation's units (for what is reported left out). */
  index: number;
  turns: PreparedTurn[];
  tokens: number;
  /** The user turn(s) of its segment, repeated in front when a window starts at this unit (empty when the unit starts the segment). */
  prompt: readonly PreparedTurn[];
  /** Whether the unit ends with tool results (which a window cannot end on). */
  endsWithResults: boolean;
}

/**
 * Fits a conversation to the token budget as its turns come (see {@link fitTokenBudget}, which is
 * this over a whole conversation): while it fits, turns are held for the one window; once over,
 * windows are built and handed out as they fill, so only about one window's turns are held.
 */
export class TokenWindows {
  /** What was left out so far. */
  readonly dropped: TokenWindowDrop[] = [];
  readonly #budget: number;
  readonly #split: boolean;
  readonly #base: number;
  readonly #costs = new WeakMap<PreparedTurn, number>();
  #total: number;
  /** While the conversation fits: all its turns. */
  #held: PreparedTurn[] | undefined = [];
  #units: Unit[] = [];
  #open: Unit | undefined;
  #unitCount = 0;
  #previous: PreparedTurn | undefined;
  #segmentPrompt: PreparedTurn[] = [];
  #collectingPrompt = false;
  #overlapping = false;
  #windows = 0;

  constructor(
    private readonly conversation: Omit<PreparedConversation, 'turns'>,
    private readonly counter: TokenCounter,
    options: TokenBudgetOptions = {},
  ) {
    this.#budget = options.budget ?? 32_768;
    this.#split = (options.overBudget ?? 'split') === 'split';
    this.#base = baseTokens({ ...conversation, turns: [] }, counter);
    this.#total = this.#base;
  }

  /** The next turn of the (prepared) conversation; returns the windows it closed. */
  add(turn: PreparedTurn): TokenWindow[] {
    const cost = turnTokens(turn, this.counter);
    this.#costs.set(turn, cost);
    this.#total += cost;
    const held = this.#held;
    if (held != null) {
      held.push(turn);
      if (this.#total <= this.#budget) return [];
      this.#held = undefined;
      if (!this.#split) return [];
      const windows: TokenWindow[] = [];
      for (const heldTurn of held) windows.push(...this.#unit(heldTurn));
      return windows;
    }
    return this.#split ? this.#unit(turn) : [];
  }

  /** Whether every turn so far fits one window (then they are all held). */
  get fitsWhole(): boolean {
    return this.#held != null;
  }

  /** The windows still open, once every turn is in. */
  finish(): TokenWindow[] {
    if (this.#held != null) {
      const held = this.#held;
      this.#held = [];
      return [{ index: 0, conversation: { ...this.conversation, turns: held }, tokens: this.#total }];
    }
    if (!this.#split) {
      this.dropped.push({ part: 'all', reason: `${this.#total} tokens over the budget of ${this.#budget}` });
      return [];
    }
    if (this.#open != null) this.#units.push(this.#open);
    this.#open = undefined;
    return this.#close(true);
  }

  #cost(turn: PreparedTurn): number {
    return this.#costs.get(turn) ?? turnTokens(turn, this.counter);
  }

  /** A turn with other labels (not other text): it costs what the turn costs, counted once. */
  #copy(turn: PreparedTurn, labels: Pick<PreparedTurn, 'train'>): PreparedTurn {
    const copy = { ...turn, ...labels };
    this.#costs.set(copy, this.#cost(turn));
    return copy;
  }

  /** Adds a turn to the units; a unit that starts completes the last one, which may close windows. */
  #unit(turn: PreparedTurn): TokenWindow[] {
    const previous = this.#previous;
    this.#previous = turn;
    const startsSegment = turn.role === 'user' && previous?.role !== 'user';
    if (startsSegment) {
      this.#segmentPrompt = [];
      this.#collectingPrompt = true;
    }
    if (turn.role === 'user' && this.#collectingPrompt) this.#segmentPrompt.push(turn);
    else this.#collectingPrompt = false;
    const startsUnit = startsSegment || (turn.role === 'assistant' && previous?.role !== 'user');
    const cost = this.#cost(turn);
    if (startsUnit || this.#open == null) {
      const completed = this.#open;
      this.#open = { index: this.#unitCount++, turns: [turn], tokens: cost, prompt: startsSegment || previous == null ? [] : this.#segmentPrompt, endsWithResults: turn.role === 'tool' };
      if (completed == null) return [];
      this.#units.push(completed);
      return this.#close(false);
    }
    this.#open.turns.push(turn);
    this.#open.tokens += cost;
    this.#open.endsWithResults = turn.role === 'tool';
    return [];
  }

  /** Builds the windows the complete units allow (all of them when `final`). */
  #close(final: boolean): TokenWindow[] {
    const windows: TokenWindow[] = [];
    const budget = this.#budget;
    const units = this.#units;
    while (units.length > 0) {
      const first = units[0]!;
      let tokens = this.#base + first.tokens + first.prompt.reduce((sum, turn) => sum + this.#cost(turn), 0);
      if (tokens > budget) {
        this.dropped.push({ part: `unit ${first.index}`, reason: `one assistant turn and its tool results need ${tokens} tokens with the system prompt, tools and user turn, over the budget of ${budget}` });
        units.shift();
        this.#overlapping = false;
        continue;
      }
      let last = 0;
      while (last + 1 < units.length && tokens + units[last + 1]!.tokens <= budget) {
        last += 1;
        tokens += units[last]!.tokens;
      }
      // The next unit is still being read: it may fit too.
      if (!final && last + 1 === units.length) break;
      let windowTurns = [...first.prompt, ...units.slice(0, last + 1).flatMap((unit) => unit.turns)];
      if (this.#overlapping) {
        // This unit was trained at the end of the previous window; here it is context for what follows.
        const repeated = first.turns[0];
        windowTurns = windowTurns.map((turn) => (turn === repeated ? this.#copy(turn, { train: false }) : turn));
      }
      windowTurns = normalizeTurns(windowTurns);
      if (windowTurns.some((turn) => turn.train)) {
        const windowTokens = windowTurns.reduce((sum, turn) => sum + this.#cost(turn), this.#base);
        windows.push({ index: this.#windows++, conversation: { ...this.conversation, turns: windowTurns }, tokens: windowTokens });
      }
      if (last === units.length - 1) {
        units.length = 0;
        break;
      }
      // The row ended on the last unit's calls without their results: start the next window on that
      // unit again, so what follows sees the results.
      if (units[last]!.endsWithResults && last === 0) {
        this.dropped.push({ part: `unit ${first.index}`, reason: `its tool results and the assistant turn after them do not fit together in ${budget} tokens: the results are left out` });
      }
      this.#overlapping = units[last]!.endsWithResults && last > 0;
      units.splice(0, this.#overlapping ? last : last + 1);
    }
    return windows;
  }
}

/**
 * Counts a conversation's tokens and fits it to the budget: one window when it fits; otherwise
 * (`split`) windows cut at turn boundaries, each repeating the system prompt and tools and valid
 * for every format. A window starts at a user turn, or inside a long user turn (agent sessions are
 * often one prompt and hundreds of tool calls) at an assistant turn, with that user turn repeated
 * in front. A window ends on an assistant turn (possibly on its calls, without their results); the
 * next window then starts again at that turn, as untrained context, so what follows sees the
 * results. A unit over the budget on its own is left out and reported; `drop` leaves the whole
 * row out. {@link TokenWindows} over the conversation's turns.
 */
export function fitTokenBudget(
  conversation: PreparedConversation,
  counter: TokenCounter,
  options: TokenBudgetOptions = {},
): { windows: TokenWindow[]; dropped: TokenWindowDrop[] } {
  const { turns, ...rest } = conversation;
  const fitter = new TokenWindows(rest, counter, options);
  const windows: TokenWindow[] = [];
  for (const turn of turns) windows.push(...fitter.add(turn));
  // When it fits, the one window is the conversation itself, as it was given.
  const whole = fitter.fitsWhole;
  windows.push(...fitter.finish().map((window) => (whole ? { ...window, conversation } : window)));
  return { windows, dropped: fitter.dropped };
}
