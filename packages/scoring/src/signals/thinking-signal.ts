import { type Session } from '@forge/schema';
import { percent, type HeuristicReading } from './heuristic-reading.js';

/**
 * Share of answers with real thinking. Hollow thinking (the harness kept only a signature) gets
 * no boost: there is nothing to train on.
 */
export function readThinking(session: Session): HeuristicReading {
  const answers = session.messages.filter((message) => message.role === 'assistant' && message.provenance === 'conversation');
  if (answers.length === 0) return { value: 0, score: null, reason: 'no answers' };
  const present = answers.filter((message) => message.reasoning.state === 'present' && (message.reasoning.text ?? '').trim() !== '').length;
  const hollow = answers.filter((message) => message.reasoning.state === 'hollow').length;
  const share = Math.round((present / answers.length) * 10_000) / 10_000;
  const reason = `${present} of ${answers.length} answers carry thinking (${percent(present, answers.length)})${hollow > 0 ? `; ${hollow} hollow, no boost for them` : ''}`;
  return { value: share, score: share, reason };
}
