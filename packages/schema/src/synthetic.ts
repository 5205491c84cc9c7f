import { z } from 'zod';
import { createParsers } from './create-parsers.js';
import { gasTownRoleSchema } from './gastown.js';

/**
 * How a synthetic session was made: `forge synth run` drove a real agent program in print mode
 * with a role template. Present on a Session only when forge generated it; scoring and filters
 * can then keep, weight or drop generated data apart from what people ran.
 */
export const syntheticTagSchema = z
  .object({
    /** The batch (one `forge synth run`) and the run within it. */
    batchId: z.string(),
    runId: z.string(),
    /** The program that ran and its version (`pi 0.73.1`, `omp 18.2.3`), when it reported one. */
    harness: z.enum(['pi', 'omp', 'pir']),
    harnessVersion: z.string().optional(),
    /** The Gas Town role the template plays. */
    role: gasTownRoleSchema,
    template: z.object({
      /** The template file the prompts came from. */
      file: z.string(),
      /** sha256 of that file's bytes, so an edited template is told apart. */
      sha256: z.string(),
      /** The task of the template this run was given. */
      task: z.string(),
    }),
    /** The run's settings as passed to the program. */
    parameters: z.object({
      thinking: z.string(),
      model: z.string().optional(),
      provider: z.string().optional(),
      tools: z.array(z.string()).optional(),
    }),
    /** The values the template's `{{variables}}` were filled with. */
    variables: z.record(z.string(), z.string()),
  })
  .meta({ id: 'SyntheticTag' });
export type SyntheticTag = z.infer<typeof syntheticTagSchema>;

export const { parse: parseSyntheticTag, safeParse: safeParseSyntheticTag } = createParsers('SyntheticTag', syntheticTagSchema);
