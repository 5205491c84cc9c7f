import { z } from 'zod';
import { createParsers } from '../create-parsers.js';
import { scoreSummarySchema } from '../scoring/score-summary.js';
import { sessionWarningSchema } from '../session-warning.js';
import { sessionSourceSchema } from '../session.js';

const count = z.number().int().nonnegative();
const countsBy = z.record(z.string(), count);

/**
 * A dataset format's name, as @forge/transform's format registry spells it (`sharegpt`, `openai`,
 * `messages`, …): the registry is the one list of names, so a new format needs no change here.
 */
export const datasetFormatSchema = z.string().regex(/^[a-z][a-z0-9-]*$/u, 'a format name: lower-case letters, digits and dashes');
export type DatasetFormat = z.infer<typeof datasetFormatSchema>;

/** What `forge run` wrote and why: enough to reproduce the dataset and audit what was left out. */
export const datasetManifestSchema = z
  .object({
    manifestVersion: z.literal(1),
    forgeVersion: z.string(),
    /** The options in force, after defaults and the config file. */
    options: z.record(z.string(), z.unknown()),
    /** Every input file read, with a fingerprint of its content. */
    inputs: z.array(
      z.object({
        path: z.string(),
        source: sessionSourceSchema,
        size: count,
        fingerprint: z.string(),
      }),
    ),
    counts: z.object({
      sessions: count,
      sessionsBySource: countsBy,
      sessionsByRole: countsBy,
      sessionsByModel: countsBy,
      messagesByRole: countsBy,
      rowsByFormat: z.record(z.string(), z.object({ train: count, validation: count })),
    }),
    tokens: z.object({
      counter: z.string(),
      total: count,
      mean: z.number().nonnegative(),
      p50: count,
      p95: count,
      max: count,
      /** Rows (token windows) per size bucket: `rows` with at most `upTo` tokens and more than the bucket before; buckets double from 128. */
      histogram: z.array(z.object({ upTo: count, rows: count })).optional(),
    }),
    /** Secrets and PII replaced, per rule. */
    redactions: countsBy,
    /** Everything left out, with the reason: files, sessions, rows. */
    skipped: z.array(
      z.object({
        kind: z.enum(['file', 'session', 'row']),
        ref: z.string(),
        reason: z.string(),
      }),
    ),
    formats: z.array(
      z.object({
        format: datasetFormatSchema,
        files: z.array(z.string()),
        /** What this format cannot carry (e.g. OpenAI rows have no reasoning). */
        notes: z.array(z.string()),
      }),
    ),
    warnings: count,
    /**
     * How the sessions scored (`forge run` scores every session it reads): the score distribution,
     * bead outcomes per tier, link evidence per signal, verdicts; the `--min-score` in force; and
     * what could not be read about outcomes (beads stores, git), which leaves those sessions'
     * outcome unknown but stops nothing.
     */
    scoring: scoreSummarySchema
      .extend({
        minScore: z.number().min(0).max(1).nullable(),
        warnings: z.array(sessionWarningSchema),
      })
      .optional(),
  })
  .meta({ id: 'DatasetManifest' });
export type DatasetManifest = z.infer<typeof datasetManifestSchema>;

export const { parse: parseDatasetManifest, safeParse: safeParseDatasetManifest } = createParsers('DatasetManifest', datasetManifestSchema);
