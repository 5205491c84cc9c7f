import { z } from 'zod';
import { createParsers } from '../create-parsers.js';

const weight = z.number().min(0);
const unit = z.number().min(0).max(1);

/**
 * The `scoring` block of forge.config.json. Every key has a default, so `{}` is a complete
 * configuration; see @forge/scoring's README for what each weight does.
 */
export const scoringConfigSchema = z
  .object({
    /** Mix of the outcome part and the heuristic part when the outcome is known (normalised). */
    weights: z
      .object({ outcome: weight.default(0.6), heuristics: weight.default(0.4) })
      .strict()
      .prefault({}),
    /** Value of each way a session's attempt on a bead can end (`in-progress` counts as unknown). */
    tiers: z
      .object({
        firstTry: unit.default(1),
        noChanges: unit.default(0.75),
        rework: unit.default(0.6),
        reopened: unit.default(0.15),
        redispatched: unit.default(0.2),
        abandoned: unit.default(0.1),
      })
      .strict()
      .prefault({}),
    /** Share of the outcome part given to code survival, when it is known. */
    codeSurvival: unit.default(0.3),
    /** Weights of the heuristic signals (a signal that does not apply is left out of the mean). */
    heuristics: z
      .object({
        toolErrors: weight.default(1),
        completion: weight.default(1),
        context: weight.default(0.5),
        validation: weight.default(1),
        corrections: weight.default(1),
        facets: weight.default(0.5),
      })
      .strict()
      .prefault({}),
    /** Added to the heuristic part times the share of answers with real (not hollow) thinking. */
    thinkingBoost: unit.default(0.05),
    /** The score a `good` or `bad` verdict sets. */
    verdicts: z
      .object({ good: unit.default(1), bad: unit.default(0) })
      .strict()
      .prefault({}),
    /** Minutes after a session's last message in which its commits may still be made (pushes, hooks, `gt done`). */
    commitWindowMinutes: z.number().int().min(0).default(30),
    /** `forge review`: sessions with no outcome whose score is within `margin` of `threshold`. */
    review: z
      .object({ threshold: unit.default(0.5), margin: unit.default(0.15) })
      .strict()
      .prefault({}),
  })
  .strict()
  .meta({ id: 'ScoringConfig' });
export type ScoringConfig = z.infer<typeof scoringConfigSchema>;
/** What a user may write: every key optional. */
export type ScoringConfigInput = z.input<typeof scoringConfigSchema>;

export const { parse: parseScoringConfig, safeParse: safeParseScoringConfig } = createParsers('ScoringConfig', scoringConfigSchema);

/** The configuration with every default. */
export function defaultScoringConfig(): ScoringConfig {
  return scoringConfigSchema.parse({});
}
