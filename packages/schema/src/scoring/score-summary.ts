import { z } from 'zod';
import { createParsers } from '../create-parsers.js';

const count = z.number().int().nonnegative();
const countsBy = z.record(z.string(), count);

/** The scoring part of a dataset manifest: how scores spread, how beads fared, what links rested on. */
export const scoreSummarySchema = z
  .object({
    sessions: count,
    /** Ten buckets of width 0.1 over [0, 1] (the last one includes 1). */
    scoreDistribution: z.object({
      buckets: z.array(z.object({ from: z.number(), to: z.number(), count })),
      mean: z.number().min(0).max(1).nullable(),
      p50: z.number().min(0).max(1).nullable(),
      min: z.number().min(0).max(1).nullable(),
      max: z.number().min(0).max(1).nullable(),
    }),
    outcomeKnown: count,
    outcomeUnknown: count,
    /** Worked beads per outcome tier (a bead worked by several sessions counts once per session). */
    beadOutcomes: countsBy,
    /** Pieces of link evidence per signal. */
    linkageEvidence: countsBy,
    verdicts: countsBy,
  })
  .meta({ id: 'ScoreSummary' });
export type ScoreSummary = z.infer<typeof scoreSummarySchema>;

export const { parse: parseScoreSummary, safeParse: safeParseScoreSummary } = createParsers('ScoreSummary', scoreSummarySchema);
