import { provenanceClass, type Message, type Session, type ToolDefinition } from '@forge/schema';
import { ToolCallSchemas, type ToolDefinitionOrigins } from './infer-tool-definitions.js';
import { type PreparedConversation, type PreparedToolCall, type PreparedTurn } from './prepared-conversation.js';

/** How harness noise (`provenanceClass(...) === 'noise'`) is treated. */
export type NoisePolicy = 'drop' | 'keep';

/**
 * The system prompt of every row: `keep` (default) what the session recorded (Claude Code's
 * `api-request-shape` system text, omp's `session_init`) and its system messages; `drop` none;
 * `{ replacement }` one text of your own instead (e.g. the prompt the trained model will run with).
 */
export type SystemPromptPolicy = 'keep' | 'drop' | { replacement: string };

/** Options of {@link prepareConversation}. */
export interface PrepareConversationOptions {
  /** `drop` (default) removes harness noise; `keep` keeps it as context that is never trained on. */
  noise?: NoisePolicy;
  /** See {@link SystemPromptPolicy}; default `keep`. */
  systemPrompt?: SystemPromptPolicy;
  /** Tool definitions to use for called tools the session has no definition for (else inferred). */
  toolDefinitions?: readonly ToolDefinition[];
}

/** What {@link prepareConversation} changed, for the manifest. */
export interface PrepareConversationStats {
  noiseMessagesDropped: number;
  /** Calls that got no result before the next assistant turn: removed (a call in the last turn stays: the row ends on it). */
  unansweredToolCallsDropped: number;
  /** Tool results whose call is not in the kept conversation. */
  orphanToolResultsDropped: number;
  /** Assistant turns with a hollow reasoning (masked from training). */
  hollowReasoningTurns: number;
  /** Tool calls whose arguments were not valid JSON (wrapped as `{ raw_arguments }`). */
  invalidToolArguments: number;
  /** Where the conversation's tool definitions came from: recorded by the session, the given catalog, or inferred from the calls. */
  toolDefinitions: ToolDefinitionOrigins;
}

/** The result of {@link prepareConversation}: a conversation, or the reason there is none. */
export type PrepareConversationResult =
  | { ok: true; conversation: PreparedConversation; stats: PrepareConversationStats }
  | { ok: false; reason: string; stats: PrepareConversationStats };

function parseArguments(raw: string, stats: PrepareConversationStats): { value: unknown; json: string } {
  try {
    const value: unknown = JSON.parse(raw);
    return { value, json: JSON.stringify(value) };
  } catch {
    stats.invalidToolArguments += 1;
    const value = { raw_arguments: raw };
    return { value, json: JSON.stringify(value) };
  }
}

/** The record facts a trajectory format carries: time, model, usage (only those the message has). */
function recordFacts(message: Pick<PreparedTurn, 'timestamp' | 'model' | 'usage'>): Pick<PreparedTurn, 'timestamp' | 'model' | 'usage'> {
  return {
    ...(message.timestamp == null ? {} : { timestamp: message.timestamp }),
    ...(message.model == null ? {} : { model: message.model }),
    ...(message.usage == null ? {} : { usage: message.usage }),
  };
}

function toTurn(message: Message, trainable: boolean, stats: PrepareConversationStats): PreparedTurn | undefined {
  if (message.role === 'user') {
    if (message.text.trim() === '') return undefined;
    return { role: 'user', text: message.text, reasoning: { state: 'absent' }, toolCalls: [], toolResult: undefined, train: false, ...recordFacts(message) };
  }
  if (message.role === 'tool') {
    if (message.toolResult == null) return undefined;
    const { toolCallId, toolName, isError, text } = message.toolResult;
    return { role: 'tool', text, reasoning: { state: 'absent' }, toolCalls: [], toolResult: { toolCallId, toolName, isError, text }, train: false, ...recordFacts(message) };
  }
  const toolCalls: PreparedToolCall[] = message.toolCalls.map((call) => {
    const parsed = parseArguments(call.arguments, stats);
    return { id: call.id, name: call.name, arguments: parsed.value, argumentsJson: parsed.json };
  });
  const reasoning =
    message.reasoning.state === 'present' && (message.reasoning.text ?? '').trim() === '' ? { state: 'hollow' as const } : message.reasoning;
  return { role: 'assistant', text: message.text, reasoning, toolCalls, toolResult: undefined, train: trainable, ...recordFacts(message) };
}

function isEmptyAssistant(turn: PreparedTurn): boolean {
  return turn.role === 'assistant' && turn.text.trim() === '' && turn.toolCalls.length === 0 && turn.reasoning.state !== 'present';
}

function joinText(left: string, right: string): string {
  if (left === '') return right;
  if (right === '') return left;
  return `${left}\n\n${right}`;
}

/**
 * Merges runs of assistant turns (a response split over several records, or turns whose noise in
 * between was dropped) into one, so every format sees one model step per prompt step.
 */
function mergeAssistantRuns(turns: PreparedTurn[]): PreparedTurn[] {
  const merged: PreparedTurn[] = [];
  for (const turn of turns) {
    const previous = merged.at(-1);
    if (previous == null || previous.role !== 'assistant' || turn.role !== 'assistant') {
      merged.push(turn);
      continue;
    }
    const texts = [previous.reasoning, turn.reasoning].filter((reasoning) => reasoning.state === 'present').map((reasoning) => reasoning.text ?? '');
    const anyHollow = previous.reasoning.state === 'hollow' || turn.reasoning.state === 'hollow';
    merged[merged.length - 1] = {
      ...previous,
      text: joinText(previous.text, turn.text),
      reasoning: texts.length > 0 ? { state: 'present', text: texts.join('\n\n') } : { state: anyHollow ? 'hollow' : 'absent' },
      toolCalls: [...previous.toolCalls, ...turn.toolCalls],
      train: previous.train && turn.train && !anyHollow,
      // A response split over records repeats its usage on each: the first record's stands for the run.
      ...recordFacts({ ...turn, ...previous }),
    };
  }
  return merged;
}

/**
 * Removes leading turns before the first user turn and trailing turns after the last assistant
 * turn; a part of a streamed conversation keeps its start (`whole` false) and, unless it is the
 * last part (`final`), its end.
 */
function trimEnds(turns: PreparedTurn[], whole: boolean, final: boolean): PreparedTurn[] {
  const first = whole ? turns.findIndex((turn) => turn.role === 'user') : 0;
  if (first === -1) return [];
  if (!final) return first === 0 ? turns : turns.slice(first);
  let last = turns.length - 1;
  while (last >= first && turns[last]!.role !== 'assistant') last -= 1;
  return turns.slice(first, last + 1);
}

/**
 * Pairs calls with results: keeps a result only after the assistant turn that made its call (the
 * first result for it before the next assistant turn), and a call only if such a result arrives
 * (or it is in the last turn). Every decision looks no further than the next assistant turn, which
 * is what lets a conversation be prepared in parts.
 */
function pairToolCalls(turns: PreparedTurn[], stats: PrepareConversationStats, final: boolean): PreparedTurn[] {
  // Per assistant turn (by index): the ids of its calls that get a result.
  const answered = new Map<number, Set<string>>();
  let open = new Set<string>();
  let openTurn = -1;
  turns.forEach((turn, index) => {
    if (turn.role === 'assistant') {
      open = new Set(turn.toolCalls.map((call) => call.id));
      openTurn = index;
      answered.set(index, new Set());
    } else if (turn.role === 'tool' && turn.toolResult != null && open.has(turn.toolResult.toolCallId)) {
      answered.get(openTurn)!.add(turn.toolResult.toolCallId);
      open.delete(turn.toolResult.toolCallId);
    }
  });
  // The row may end on a call (trainers learn to make it; OpenAI's own examples do this): the last
  // turn's calls need no result.
  const lastTurn = turns.at(-1);
  if (final && lastTurn?.role === 'assistant') for (const call of lastTurn.toolCalls) answered.get(turns.length - 1)!.add(call.id);
  const paired: PreparedTurn[] = [];
  let awaiting = new Set<string>();
  turns.forEach((turn, index) => {
    if (turn.role === 'assistant') {
      const ids = answered.get(index)!;
      const kept = turn.toolCalls.filter((call) => ids.has(call.id));
      stats.unansweredToolCallsDropped += turn.toolCalls.length - kept.length;
      awaiting = new Set(kept.map((call) => call.id));
      // The same turn when every call is kept: a copy would be counted again (token windows cost turns by identity).
      const pairedTurn = kept.length === turn.toolCalls.length ? turn : { ...turn, toolCalls: kept };
      if (!isEmptyAssistant(pairedTurn)) paired.push(pairedTurn);
    } else if (turn.role === 'tool') {
      const id = turn.toolResult?.toolCallId;
      if (id == null || !awaiting.has(id)) {
        stats.orphanToolResultsDropped += 1;
        return;
      }
      awaiting.delete(id);
      paired.push(turn);
    } else {
      paired.push(turn);
    }
  });
  return paired;
}

/** A fresh, zeroed {@link PrepareConversationStats}. */
export function emptyPrepareStats(): PrepareConversationStats {
  return { noiseMessagesDropped: 0, unansweredToolCallsDropped: 0, orphanToolResultsDropped: 0, hollowReasoningTurns: 0, invalidToolArguments: 0, toolDefinitions: { recorded: 0, catalog: 0, inferred: 0 } };
}

/**
 * Makes a turn list valid for every format: starts on a user turn, ends on an assistant turn,
 * one assistant turn per model step, every call answered by its result and every result after its call.
 * `part`: the turns are a part of a streamed conversation (its turns before the first user turn
 * already dropped): the start is kept, and unless the part is `final` more turns follow, so the
 * end is not trimmed and the last turn's calls need their results like any other's.
 */
export function normalizeTurns(turns: PreparedTurn[], stats: PrepareConversationStats = emptyPrepareStats(), part?: { final: boolean }): PreparedTurn[] {
  const size = (list: readonly PreparedTurn[]) => list.reduce((sum, turn) => sum + 1 + turn.toolCalls.length, 0);
  const whole = part == null;
  const final = part?.final ?? true;
  let current = trimEnds(turns, whole, final);
  // Trimming a trailing result can leave its call unanswered, and dropping that call can empty a
  // turn: repeat until nothing changes.
  for (;;) {
    const next = trimEnds(mergeAssistantRuns(pairToolCalls(mergeAssistantRuns(current), stats, final)), whole, final);
    if (size(next) === size(current)) return next;
    current = next;
  }
}

/**
 * One message as a turn before normalization (undefined: none): the noise policy applied, a system
 * message added to `systemParts` (one copy each), hollow reasoning masked.
 */
export function messageTurn(message: Message, options: PrepareConversationOptions, stats: PrepareConversationStats, systemParts: string[]): PreparedTurn | undefined {
  const policyClass = provenanceClass(message.provenance);
  if (policyClass === 'noise' && (options.noise ?? 'drop') === 'drop') {
    stats.noiseMessagesDropped += 1;
    return undefined;
  }
  if (message.role === 'system') {
    // A reader may give the recorded prompt as a message too: keep one copy.
    if ((options.systemPrompt ?? 'keep') === 'keep' && message.text.trim() !== '' && !systemParts.includes(message.text)) systemParts.push(message.text);
    return undefined;
  }
  const turn = toTurn(message, policyClass === 'conversation', stats);
  if (turn?.role === 'assistant' && turn.reasoning.state === 'hollow') turn.train = false;
  return turn;
}

/** Whether an assistant turn survives normalization whatever follows: it has text or reasoning of its own. */
function isSolidAssistant(turn: PreparedTurn): boolean {
  return turn.role === 'assistant' && (turn.text.trim() !== '' || turn.reasoning.state === 'present');
}

/**
 * THE conversation preparation, message by message: applies the noise policy, builds turns and
 * normalizes them in parts cut where nothing before the cut depends on what follows, so a session
 * of any length is prepared holding about one model step. A part ends
 * - before an assistant turn that follows a result of the calls before it, once that turn is sure
 *   to stay (it has text or reasoning, or one of its own calls is answered): results pair only
 *   with the assistant turn right before them, and the last assistant turn is then in a later part;
 * - before a user turn that follows an assistant turn with text and no open call.
 * Turns before the first user turn are dropped (a conversation starts with a prompt). What `add`
 * and `finish` return is final, in order.
 */
export class ConversationStream {
  readonly stats = emptyPrepareStats();
  readonly #systemParts: string[] = [];
  readonly #options: PrepareConversationOptions;
  readonly #schemas = new ToolCallSchemas();
  #seenUser = false;
  /** Turns not yet normalized. */
  #part: PreparedTurn[] = [];
  /** Where a tentative cut before an assistant turn is in `#part` (-1: none), and that turn's calls. */
  #cutAt = -1;
  #cutCalls = new Set<string>();
  /** Call ids of the assistant run that results now pair with. */
  #openCalls = new Set<string>();
  #turns = 0;
  #trainable = false;

  constructor(recordedSystemPrompt: string | undefined, options: PrepareConversationOptions = {}) {
    this.#options = options;
    const policy = options.systemPrompt ?? 'keep';
    if (policy === 'keep' && (recordedSystemPrompt ?? '').trim() !== '') this.#systemParts.push(recordedSystemPrompt!);
    else if (typeof policy === 'object' && policy.replacement.trim() !== '') this.#systemParts.push(policy.replacement);
  }

  /** The next message; returns the turns it made final. */
  add(message: Message): PreparedTurn[] {
    const turn = messageTurn(message, this.#options, this.stats, this.#systemParts);
    if (turn == null) return [];
    if (!this.#seenUser) {
      if (turn.role !== 'user') return [];
      this.#seenUser = true;
    }
    return this.#push(turn);
  }

  /** The turns still held, normalized as the conversation's end. */
  finish(): PreparedTurn[] {
    const rest = this.#emit(this.#part, true);
    this.#part = [];
    return rest;
  }

  /** The system prompt of every row (the recorded one and the system messages seen). */
  get system(): string {
    return this.#systemParts.join('\n\n');
  }

  /** Why there is no conversation (after `finish`), or undefined when there is one. */
  get failure(): string | undefined {
    if (this.#turns === 0) return 'no user turn followed by an assistant turn';
    if (!this.#trainable) return 'no trainable assistant turn';
    return undefined;
  }

  /** The tools list of every row (after `finish`), given the session's recorded definitions. */
  tools(sessionTools: readonly ToolDefinition[] | undefined): ToolDefinition[] {
    return this.#schemas.resolve(sessionTools, this.#options.toolDefinitions, this.stats.toolDefinitions);
  }

  #push(turn: PreparedTurn): PreparedTurn[] {
    const previous = this.#part.at(-1);
    const ready: PreparedTurn[] = [];
    if (this.#cutAt !== -1) {
      if (turn.role === 'tool') {
        if (turn.toolResult != null && this.#cutCalls.has(turn.toolResult.toolCallId)) ready.push(...this.#cut(this.#cutAt));
      } else if (turn.role === 'assistant' && previous?.role === 'assistant') {
        // Still the run the tentative cut starts: its own text, or a result for any of its calls, confirms it.
        if (isSolidAssistant(turn)) ready.push(...this.#cut(this.#cutAt));
        else for (const call of turn.toolCalls) this.#cutCalls.add(call.id);
      } else this.#cutAt = -1;
    }
    if (turn.role === 'assistant' && this.#cutAt === -1 && previous?.role === 'tool' && previous.toolResult != null && this.#openCalls.has(previous.toolResult.toolCallId)) {
      if (isSolidAssistant(turn)) ready.push(...this.#cut(this.#part.length));
      else {
        this.#cutAt = this.#part.length;
        this.#cutCalls = new Set(turn.toolCalls.map((call) => call.id));
      }
    } else if (turn.role === 'user' && previous != null && isSolidAssistant(previous) && this.#openCalls.size === 0) {
      ready.push(...this.#cut(this.#part.length));
    }
    if (turn.role === 'assistant') {
      if (previous?.role !== 'assistant') this.#openCalls = new Set();
      for (const call of turn.toolCalls) this.#openCalls.add(call.id);
    }
    this.#part.push(turn);
    return ready;
  }

  /** Normalizes the part before `at` (more turns follow) and keeps the rest. */
  #cut(at: number): PreparedTurn[] {
    const done = this.#part.slice(0, at);
    this.#part = this.#part.slice(at);
    this.#cutAt = -1;
    return this.#emit(done, false);
  }

  #emit(turns: PreparedTurn[], final: boolean): PreparedTurn[] {
    if (turns.length === 0) return turns;
    const normalized = normalizeTurns(turns, this.stats, { final });
    for (const turn of normalized) {
      this.#turns += 1;
      if (turn.train) this.#trainable = true;
      if (turn.role === 'assistant' && turn.reasoning.state === 'hollow') this.stats.hollowReasoningTurns += 1;
      for (const call of turn.toolCalls) this.#schemas.add(call);
    }
    return normalized;
  }
}

/**
 * Applies the noise policy to a session and reduces it to a {@link PreparedConversation}: system
 * prompt, tools, and turns with training flags. Conversation turns are trained; context and
 * orchestration (Gas Town beacons, nudges) are kept but never trained; noise is dropped unless kept
 * by option (then never trained). Assistant turns with a hollow reasoning are masked. The
 * {@link ConversationStream} over the session's messages.
 */
export function prepareConversation(session: Session, options: PrepareConversationOptions = {}): PrepareConversationResult {
  const stream = new ConversationStream(session.systemPrompt, options);
  const turns: PreparedTurn[] = [];
  for (const message of session.messages) for (const turn of stream.add(message)) turns.push(turn);
  for (const turn of stream.finish()) turns.push(turn);
  const failure = stream.failure;
  if (failure != null) return { ok: false, reason: failure, stats: stream.stats };
  return {
    ok: true,
    conversation: { sessionId: session.id, source: session.source, system: stream.system, tools: stream.tools(session.tools), turns },
    stats: stream.stats,
  };
}
