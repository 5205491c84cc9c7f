import { type ToolDefinition } from '@forge/schema';
import { compareStrings } from '../conversation/infer-tool-definitions.js';
import { type PreparedConversation, type PreparedTurn } from '../conversation/prepared-conversation.js';
import { type PairKind } from './plan-pairs.js';

/** A pair's content: the shared prompt and the two diverging continuations (redacted, prepared turns). */
export interface PairConversation {
  /** The prompt as a conversation: the chosen session's system prompt, both sessions' tools, the shared turns. */
  prompt: PreparedConversation;
  chosen: PreparedTurn[];
  rejected: PreparedTurn[];
}

/** Turns as the comparison sees them: the same text, calls and results (ids included) are the same turn. */
function turnKey(turn: PreparedTurn): string {
  return JSON.stringify([turn.role, turn.text, turn.reasoning, turn.toolCalls, turn.toolResult ?? null]);
}

function sharedPrefixLength(left: readonly PreparedTurn[], right: readonly PreparedTurn[]): number {
  let length = 0;
  while (length < left.length && length < right.length && turnKey(left[length]!) === turnKey(right[length]!)) length += 1;
  return length;
}

/** Both sessions' tools, each name once (the chosen session's definition first), by name. */
function mergeTools(chosen: readonly ToolDefinition[], rejected: readonly ToolDefinition[]): ToolDefinition[] {
  const byName = new Map<string, ToolDefinition>();
  for (const tool of [...chosen, ...rejected]) if (!byName.has(tool.function.name)) byName.set(tool.function.name, tool);
  return [...byName.values()].sort((left, right) => compareStrings(left.function.name, right.function.name));
}

/**
 * Splits two sessions into a pair's prompt and continuations, or says why they make no pair.
 * sibling-branch: the prompt is the turns both branches share, each side what follows. same-bead
 * and same-type: each attempt starts from its own assignment (its own beacon), so the prompt is
 * the chosen attempt's turns up to its first user turn and each side is its attempt after that turn.
 */
export function splitPair(kind: PairKind, chosen: PreparedConversation, rejected: PreparedConversation): { ok: true; pair: PairConversation } | { ok: false; reason: string } {
  let promptTurns: PreparedTurn[];
  let chosenTurns: PreparedTurn[];
  let rejectedTurns: PreparedTurn[];
  if (kind === 'sibling-branch') {
    const shared = sharedPrefixLength(chosen.turns, rejected.turns);
    if (shared === 0) return { ok: false, reason: 'the branches share no turn' };
    promptTurns = chosen.turns.slice(0, shared);
    chosenTurns = chosen.turns.slice(shared);
    rejectedTurns = rejected.turns.slice(shared);
  } else {
    const chosenStart = chosen.turns.findIndex((turn) => turn.role === 'user');
    const rejectedStart = rejected.turns.findIndex((turn) => turn.role === 'user');
    if (chosenStart < 0 || rejectedStart < 0) return { ok: false, reason: 'an attempt has no user turn to take the assignment from' };
    promptTurns = chosen.turns.slice(0, chosenStart + 1);
    chosenTurns = chosen.turns.slice(chosenStart + 1);
    rejectedTurns = rejected.turns.slice(rejectedStart + 1);
  }
  if (JSON.stringify(chosenTurns.map(turnKey)) === JSON.stringify(rejectedTurns.map(turnKey))) return { ok: false, reason: 'chosen and rejected are identical after redaction' };
  if (chosenTurns.length === 0 || rejectedTurns.length === 0) return { ok: false, reason: `the ${chosenTurns.length === 0 ? 'chosen' : 'rejected'} side has no turn after the shared prompt` };
  return {
    ok: true,
    pair: {
      prompt: { sessionId: chosen.sessionId, source: chosen.source, system: chosen.system, tools: mergeTools(chosen.tools, rejected.tools), turns: promptTurns },
      chosen: chosenTurns,
      rejected: rejectedTurns,
    },
  };
}
