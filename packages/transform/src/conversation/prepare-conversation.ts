import { provenanceClass, type Message, type Session, type ToolDefinition } from '@forge/schema';
import { resolveToolDefinitions, type ToolDefinitionOrigins } from './infer-tool-definitions.js';
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

/** Removes leading turns before the first user turn and trailing turns after the last assistant turn. */
function trimEnds(turns: PreparedTurn[]): PreparedTurn[] {
  const first = turns.findIndex((turn) => turn.role === 'user');
  if (first === -1) return [];
  let last = turns.length - 1;
  while (last >= first && turns[last]!.role !== 'assistant') last -= 1;
  return turns.slice(first, last + 1);
}

/**
 * Pairs calls with results: keeps a result only after the assistant turn that made its call, and a
 * call only if its result arrives before the next assistant turn (or it is in the last turn).
 */
function pairToolCalls(turns: PreparedTurn[], stats: PrepareConversationStats): PreparedTurn[] {
  const answered = new Set<string>();
  // The row may end on a call (trainers learn to make it; OpenAI's own examples do this): the last
  // turn's calls need no result.
  const lastTurn = turns.at(-1);
  if (lastTurn?.role === 'assistant') for (const call of lastTurn.toolCalls) answered.add(call.id);
  let open = new Set<string>();
  for (const turn of turns) {
    if (turn.role === 'assistant') {
      open = new Set(turn.toolCalls.map((call) => call.id));
    } else if (turn.role === 'tool' && turn.toolResult != null && open.has(turn.toolResult.toolCallId)) {
      answered.add(turn.toolResult.toolCallId);
      open.delete(turn.toolResult.toolCallId);
    }
  }
  const paired: PreparedTurn[] = [];
  const seenResults = new Set<string>();
  for (const turn of turns) {
    if (turn.role === 'assistant') {
      const kept = turn.toolCalls.filter((call) => answered.has(call.id));
      stats.unansweredToolCallsDropped += turn.toolCalls.length - kept.length;
      const pairedTurn = { ...turn, toolCalls: kept };
      if (!isEmptyAssistant(pairedTurn)) paired.push(pairedTurn);
    } else if (turn.role === 'tool') {
      const id = turn.toolResult?.toolCallId;
      if (id == null || !answered.has(id) || seenResults.has(id)) {
        stats.orphanToolResultsDropped += 1;
        continue;
      }
      seenResults.add(id);
      paired.push(turn);
    } else {
      paired.push(turn);
    }
  }
  return paired;
}

/** A fresh, zeroed {@link PrepareConversationStats}. */
export function emptyPrepareStats(): PrepareConversationStats {
  return { noiseMessagesDropped: 0, unansweredToolCallsDropped: 0, orphanToolResultsDropped: 0, hollowReasoningTurns: 0, invalidToolArguments: 0, toolDefinitions: { recorded: 0, catalog: 0, inferred: 0 } };
}

/**
 * Makes a turn list valid for every format: starts on a user turn, ends on an assistant turn,
 * one assistant turn per model step, every call answered by its result and every result after its call.
 */
export function normalizeTurns(turns: PreparedTurn[], stats: PrepareConversationStats = emptyPrepareStats()): PreparedTurn[] {
  const size = (list: readonly PreparedTurn[]) => list.reduce((sum, turn) => sum + 1 + turn.toolCalls.length, 0);
  let current = trimEnds(turns);
  // Trimming a trailing result can leave its call unanswered, and dropping that call can empty a
  // turn: repeat until nothing changes.
  for (;;) {
    const next = trimEnds(mergeAssistantRuns(pairToolCalls(mergeAssistantRuns(current), stats)));
    if (size(next) === size(current)) return next;
    current = next;
  }
}

/**
 * Applies the noise policy to a session and reduces it to a {@link PreparedConversation}: system
 * prompt, tools, and turns with training flags. Conversation turns are trained; context and
 * orchestration (Gas Town beacons, nudges) are kept but never trained; noise is dropped unless kept
 * by option (then never trained). Assistant turns with a hollow reasoning are masked.
 */
export function prepareConversation(session: Session, options: PrepareConversationOptions = {}): PrepareConversationResult {
  const stats = emptyPrepareStats();
  const policy = options.systemPrompt ?? 'keep';
  const systemParts: string[] = [];
  if (policy === 'keep' && (session.systemPrompt ?? '').trim() !== '') systemParts.push(session.systemPrompt!);
  else if (typeof policy === 'object' && policy.replacement.trim() !== '') systemParts.push(policy.replacement);
  let turns: PreparedTurn[] = [];
  for (const message of session.messages) {
    const policyClass = provenanceClass(message.provenance);
    if (policyClass === 'noise' && (options.noise ?? 'drop') === 'drop') {
      stats.noiseMessagesDropped += 1;
      continue;
    }
    if (message.role === 'system') {
      // A reader may give the recorded prompt as a message too: keep one copy.
      if (policy === 'keep' && message.text.trim() !== '' && !systemParts.includes(message.text)) systemParts.push(message.text);
      continue;
    }
    const turn = toTurn(message, policyClass === 'conversation', stats);
    if (turn == null) continue;
    if (turn.role === 'assistant' && turn.reasoning.state === 'hollow') turn.train = false;
    turns.push(turn);
  }
  turns = normalizeTurns(turns, stats);
  stats.hollowReasoningTurns = turns.filter((turn) => turn.role === 'assistant' && turn.reasoning.state === 'hollow').length;
  if (turns.length === 0) return { ok: false, reason: 'no user turn followed by an assistant turn', stats };
  if (!turns.some((turn) => turn.train)) return { ok: false, reason: 'no trainable assistant turn', stats };
  const calls = turns.flatMap((turn) => turn.toolCalls);
  return {
    ok: true,
    conversation: {
      sessionId: session.id,
      source: session.source,
      system: systemParts.join('\n\n'),
      tools: resolveToolDefinitions(calls, session.tools, options.toolDefinitions, stats.toolDefinitions),
      turns,
    },
    stats,
  };
}
