import { type Session } from '@forge/schema';

/** Scores a session for dedup: the best-scored copy of a duplicate cluster is kept. */
export type SessionScorer = (session: Session) => number;

/**
 * The default quality score: more trained-on assistant turns is better, each failed tool call
 * costs two. Used to pick which copy of a duplicate to keep when no score is given with the session.
 */
export function defaultSessionScore(session: Session): number {
  let score = 0;
  for (const message of session.messages) {
    if (message.role === 'assistant' && message.provenance === 'conversation') score += 1;
    if (message.toolResult?.isError === true) score -= 2;
  }
  return score;
}
