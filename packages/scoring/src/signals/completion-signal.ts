import { type ScoringView } from '../scoring-view.js';
import { type HeuristicReading } from './heuristic-reading.js';

const cutStops = new Set(['max_tokens', 'length', 'aborted', 'error', 'model_context_window_exceeded', 'refusal']);

/**
 * Whether the session finished: a final answer with text after the last tool result, no abort,
 * interrupt or error stop, no cut-off last turn.
 */
export function readCompletion(session: ScoringView): HeuristicReading {
  const messages = session.messages.filter((message) => message.provenance === 'conversation' || message.provenance === 'interrupted' || message.provenance === 'api-error');
  const last = messages[messages.length - 1];
  if (last == null) return { value: false, score: 0, reason: 'no conversation' };
  if (last.provenance === 'interrupted') return { value: false, score: 0, reason: 'ends with an interruption by the user' };
  if (last.provenance === 'api-error' || last.errorMessage != null) return { value: false, score: 0, reason: 'ends with an API or harness error' };
  if (last.role !== 'assistant') return { value: false, score: 0.2, reason: `ends with a ${last.role} turn, not an answer` };
  if (last.stopReason != null && cutStops.has(last.stopReason)) return { value: false, score: 0.2, reason: `last answer stopped with ${last.stopReason}` };
  if ((last.toolCalls?.length ?? 0) > 0) return { value: false, score: 0.3, reason: 'last answer is a tool call that got no result' };
  if (last.text.trim() === '') return { value: false, score: 0.5, reason: 'last answer has no text' };
  return { value: true, score: 1, reason: 'ends with a final answer after the last tool result' };
}
