import { type SessionFacets } from '@forge/schema';
import { unitScore, type HeuristicReading } from './heuristic-reading.js';

const outcomeScores: Record<string, number> = { fully_achieved: 1, mostly_achieved: 0.75, partially_achieved: 0.4, not_achieved: 0 };

/** Claude Code's own `/insights` judgement, when present: its outcome, less 0.1 per friction (at most 0.5). */
export function readFacets(facets: SessionFacets | undefined): HeuristicReading {
  if (facets == null) return { value: null, score: null, reason: 'no Claude Code facets for this session' };
  const base = facets.outcome == null ? undefined : outcomeScores[facets.outcome];
  const friction = Object.values(facets.frictionCounts).reduce((sum, count) => sum + count, 0);
  if (base == null) return { value: facets.outcome ?? null, score: null, reason: `facets outcome ${facets.outcome ?? 'missing'}: not weighed` };
  return {
    value: facets.outcome ?? null,
    score: unitScore(base - Math.min(0.5, 0.1 * friction)),
    reason: `Claude Code facets: ${facets.outcome ?? ''}, ${friction} friction event${friction === 1 ? '' : 's'}`,
  };
}
