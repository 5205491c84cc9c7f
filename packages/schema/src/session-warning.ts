import { z } from 'zod';
import { createParsers } from './create-parsers.js';

/** Every kind of problem a reader reports instead of failing. Readers add kinds here, never free text. */
export const sessionWarningKinds = [
  'empty-file',
  'not-a-session',
  'invalid-json',
  'truncated-line',
  'line-too-long',
  'invalid-record',
  'unknown-entry-type',
  'unknown-role',
  'unknown-block-type',
  'missing-parent',
  'cycle',
  'orphan-tool-result',
  'missing-tool-result',
  'duplicate',
  'migrated',
  'provisional-usage',
  'index-unavailable',
  'index-stale',
  'unreadable-file',
  // Outcome readers (beads, git, town events).
  'unknown-status',
  'tool-unavailable',
  'not-a-repository',
  'other',
] as const;

export const sessionWarningKindSchema = z.enum(sessionWarningKinds);
export type SessionWarningKind = z.infer<typeof sessionWarningKindSchema>;

/** Something a reader could not read or had to guess, with where it was. Bad input never vanishes silently. */
export const sessionWarningSchema = z
  .object({
    file: z.string(),
    /** 1-based line number, when the problem is on one line. */
    line: z.number().int().positive().optional(),
    kind: sessionWarningKindSchema,
    message: z.string(),
    /** How many times it occurred, for warnings counted once per type. */
    count: z.number().int().positive().optional(),
  })
  .meta({ id: 'SessionWarning' });
export type SessionWarning = z.infer<typeof sessionWarningSchema>;

export const { parse: parseSessionWarning, safeParse: safeParseSessionWarning } = createParsers('SessionWarning', sessionWarningSchema);
