import { z } from 'zod';
import { createParsers } from '../create-parsers.js';

export const verdictValues = ['good', 'bad', 'skip'] as const;

/**
 * A curator's judgement of a session (a person, or a deacon/witness patrol): `good` and `bad`
 * override the computed score; `skip` marks the session reviewed and leaves the score as it is.
 * Verdicts export and import as JSON Lines, one per line.
 */
export const verdictSchema = z
  .object({
    sessionId: z.string().min(1),
    verdict: z.enum(verdictValues),
    /** Who judged: a Gas Town identity or a person. */
    by: z.string().optional(),
    note: z.string().optional(),
    /** ISO 8601 time of the verdict. */
    at: z.string().optional(),
  })
  .meta({ id: 'Verdict' });
export type Verdict = z.infer<typeof verdictSchema>;

export const { parse: parseVerdict, safeParse: safeParseVerdict } = createParsers('Verdict', verdictSchema);
