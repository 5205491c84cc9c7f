import { type Session, type SessionWarning } from '@forge/schema';
import { planPairs, resolveFormats, type PairPlan, type PlanPairsOptions } from '@forge/transform';
import { scoreSessions, type ScoreSessionsOptions } from './score-sessions.js';

/** Whether any of the formats asked for is a preference format (its rows join sessions: all branches and scores needed). */
export function wantsPreferences(formats: readonly string[] | undefined): boolean {
  return formats != null && resolveFormats(formats).some((format) => format.preferenceRow != null);
}

/**
 * Scores the sessions (the one scoring composition, {@link scoreSessions}) and plans their pairs
 * and singles. The sessions are held until scored: every branch of every session must be seen
 * before pairing.
 */
export async function planPreferences(sessions: readonly Session[], options: PlanPairsOptions & { scoring?: ScoreSessionsOptions } = {}): Promise<{ plan: PairPlan; warnings: readonly SessionWarning[] }> {
  const { scores, warnings } = await scoreSessions(sessions, options.scoring);
  const candidates = sessions.map((session, index) => ({ sessionId: session.id, source: session.source, file: session.files[0]!, branch: session.branch, score: scores[index]! }));
  return { plan: planPairs(candidates, options), warnings };
}
