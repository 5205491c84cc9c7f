import { type AgentEdit } from '../agent-edits.js';
import { isContextCall, isValidationCall } from '../tool-kinds.js';
import { type ToolUse } from '../tool-uses.js';
import { unitScore, type HeuristicReading } from './heuristic-reading.js';

/** Reads, searches and listings before the first edit: full marks from three. Not applicable without edits. */
export function readContextBeforeEdit(uses: readonly ToolUse[], edits: readonly AgentEdit[]): HeuristicReading {
  const firstEdit = edits[0];
  if (firstEdit == null) return { value: null, score: null, reason: 'no edits' };
  const gathered = uses.filter((use) => use.index < firstEdit.index && isContextCall(use)).length;
  return { value: gathered, score: unitScore(gathered / 3), reason: `${gathered} context-gathering call${gathered === 1 ? '' : 's'} before the first edit` };
}

/** A test, build or lint run after the last edit: passing is full marks, failing is partial. Not applicable without edits. */
export function readValidationAfterEdit(uses: readonly ToolUse[], edits: readonly AgentEdit[]): HeuristicReading {
  const lastEdit = edits[edits.length - 1];
  if (lastEdit == null) return { value: null, score: null, reason: 'no edits' };
  const runs = uses.filter((use) => use.index > lastEdit.index && use.result != null && isValidationCall(use));
  if (runs.length === 0) return { value: 'none', score: 0, reason: 'no test, build or lint run after the last edit' };
  const last = runs[runs.length - 1]!;
  if (last.result!.isError) return { value: 'failed', score: 0.4, reason: 'the last validation run after the last edit failed' };
  return { value: 'passed', score: 1, reason: `validated after the last edit (${runs.length} run${runs.length === 1 ? '' : 's'}, the last one passed)` };
}
