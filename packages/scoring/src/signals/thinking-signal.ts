import { type ScoringMessage, type ScoringView } from '../scoring-view.js';
import { elided } from '../text-view.js';
import { percent, type HeuristicReading } from './heuristic-reading.js';

/**
 * Share of answers with real thinking. Hollow thinking (the harness kept only a signature) gets
 * no boost: there is nothing to train on.
 */
export function readThinking(session: ScoringView): HeuristicReading {
  const answers = session.messages.filter((message) => message.role === 'assistant' && message.provenance === 'conversation');
  if (answers.length === 0) return { value: 0, score: null, reason: 'no answers' };
  const present = answers.filter((message) => message.reasoning?.state === 'present' && hasThinkingText(message.reasoning)).length;
  const hollow = answers.filter((message) => message.reasoning?.state === 'hollow').length;
  const share = Math.round((present / answers.length) * 10_000) / 10_000;
  const reason = `${present} of ${answers.length} answers carry thinking (${percent(present, answers.length)})${hollow > 0 ? `; ${hollow} hollow, no boost for them` : ''}`;
  return { value: share, score: share, reason };
}

function hasThinkingText(reasoning: ScoringMessage['reasoning']): boolean {
  return (reasoning?.text ?? '').trim() !== '';
}

/**
 * The reasoning as a scoring view keeps it: its state, and `…` for a text that is not blank (none
 * at all for an absent one). The thinking signal is the only reader and counts answers that carry
 * thinking, never its words.
 */
export function reasoningView(reasoning: ScoringMessage['reasoning']): ScoringMessage['reasoning'] {
  if (reasoning == null) return undefined;
  if (hasThinkingText(reasoning)) return { state: reasoning.state, text: elided };
  return reasoning.state === 'absent' ? undefined : { state: reasoning.state };
}
