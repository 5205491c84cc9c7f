import { z } from 'zod';
import { createParsers } from '../create-parsers.js';
import { sessionSourceSchema } from '../session.js';
import { verdictSchema } from './verdict.js';

/**
 * The signals a link between a session and a bead or commit can rest on (gastown-beads.md T9):
 * the startup beacon, forge's outcome-tagging extension entry (`forge.outcome.beads`), `gt prime` hook output, a polecat branch, a town event, a state-changing
 * `bd`/`gt`/`git commit` tool call confirmed by its stdout marker, a bead event, a commit naming
 * the bead, a commit trailer, a merge-request bead, or a commit by the same agent in the window.
 */
export const linkSignals = [
  'beacon',
  'outcome-tag',
  'prime-hook',
  'branch',
  'town-event',
  'tool-call',
  'bead-event',
  'commit-subject',
  'commit-trailer',
  'merge-request',
  'time-window',
] as const;
export const linkSignalSchema = z.enum(linkSignals);
export type LinkSignal = z.infer<typeof linkSignalSchema>;

/** One piece of evidence for a link, with where it was found. */
export const linkEvidenceSchema = z
  .object({
    signal: linkSignalSchema,
    /** What was seen, e.g. `bd update gt-k3m9p --claim → ✓ Updated issue: gt-k3m9p`. */
    detail: z.string(),
    /** A session file (with `messageIndex`/`sourceId`) or an input file (with `line`). */
    file: z.string().optional(),
    line: z.number().int().positive().optional(),
    /** Index into `Session.messages`. */
    messageIndex: z.number().int().nonnegative().optional(),
    /** The source record id of that message (Claude Code line uuid, pi entry id). */
    sourceId: z.string().optional(),
    commit: z.string().optional(),
  })
  .meta({ id: 'LinkEvidence' });
export type LinkEvidence = z.infer<typeof linkEvidenceSchema>;

/**
 * How a session's attempt on a bead ended, best first: closed on the first attempt, closed
 * without code on the first attempt, closed after earlier attempts; still open; closed and later
 * reopened, taken away and dispatched again, or left behind.
 */
export const outcomeTiers = ['first-try', 'no-changes', 'rework', 'in-progress', 'reopened', 'redispatched', 'abandoned'] as const;
export const outcomeTierSchema = z.enum(outcomeTiers);
export type OutcomeTier = z.infer<typeof outcomeTierSchema>;

/** A bead the session worked, and how the bead fared. */
export const beadOutcomeSchema = z
  .object({
    id: z.string(),
    /** The bead's current status, `unknown` when no store holds it. */
    status: z.string(),
    /** How many attempts the bead had (each a claim or dispatch that ended in a close, a reset or is still open). */
    attempts: z.number().int().nonnegative(),
    /** Closed on its first attempt and never reopened. */
    firstTry: z.boolean(),
    reopened: z.boolean(),
    /** Taken from one agent and dispatched again. */
    redispatched: z.boolean(),
    /** Closed with a `no-changes:` reason. */
    noChanges: z.boolean(),
    /** Merged: closed `Merged in …`, its merge request merged, or a commit naming it landed. */
    merged: z.boolean(),
    title: z.string().optional(),
    /** The bead's issue type as bd records it (`issue_type`: `task`, `bug`, `feature`, `chore`, `epic`, …), when known. */
    issueType: z.string().optional(),
    /** Which attempt this session was (1-based), null when it could not be placed. */
    attempt: z.number().int().positive().nullable(),
    /** How this session's attempt ended; null when unknown. */
    tier: outcomeTierSchema.nullable(),
    evidence: z.array(linkEvidenceSchema),
  })
  .meta({ id: 'BeadOutcome' });
export type BeadOutcome = z.infer<typeof beadOutcomeSchema>;

/** A commit the session made. */
export const commitOutcomeSchema = z
  .object({
    sha: z.string(),
    subject: z.string(),
    /** Reachable from the default branch. */
    landed: z.boolean(),
    /** Beads the message names. */
    beads: z.array(z.string()),
    additions: z.number().int().nonnegative().optional(),
    deletions: z.number().int().nonnegative().optional(),
    evidence: z.array(linkEvidenceSchema),
  })
  .meta({ id: 'CommitOutcome' });
export type CommitOutcome = z.infer<typeof commitOutcomeSchema>;

/** What the session's work came to. */
export const sessionOutcomeSchema = z
  .object({
    beads: z.array(beadOutcomeSchema),
    commits: z.array(commitOutcomeSchema),
    /** Share of the lines the agent added through edit/write/patch calls found in its commits; null when it added none. */
    codeSurvival: z.number().min(0).max(1).nullable(),
  })
  .meta({ id: 'SessionOutcome' });
export type SessionOutcome = z.infer<typeof sessionOutcomeSchema>;

/** One scoring signal: its value, what it contributed, and why. */
export const scoreSignalSchema = z
  .object({
    value: z.union([z.number(), z.boolean(), z.string(), z.null()]),
    /** The signal's own score in [0, 1]; null when it does not apply to this session. */
    score: z.number().min(0).max(1).nullable(),
    /** Its weight in the mix (0 for signals reported but not weighed). */
    weight: z.number().nonnegative(),
    reason: z.string(),
  })
  .meta({ id: 'ScoreSignal' });
export type ScoreSignal = z.infer<typeof scoreSignalSchema>;

export const beadRoles = ['worked', 'created', 'touched', 'mentioned'] as const;

/** A bead reference that is not work (created, closed by a patrol, or only mentioned), and the segments. */
export const sessionLinksSchema = z
  .object({
    /** The Gas Town identity (`gastown/polecats/nux`) when known. */
    identity: z.string().optional(),
    beads: z.array(z.object({ id: z.string(), role: z.enum(beadRoles), evidence: z.array(linkEvidenceSchema) })),
    /** Parts of the session per worked bead, split at claim/sling/hook boundaries. */
    segments: z.array(
      z.object({
        beadId: z.string().nullable(),
        /** First and last message index of the segment. */
        from: z.number().int().nonnegative(),
        to: z.number().int().nonnegative(),
      }),
    ),
  })
  .meta({ id: 'SessionLinks' });
export type SessionLinks = z.infer<typeof sessionLinksSchema>;

/** One line of `forge score --json`: a session's score with everything that made it. */
export const sessionScoreSchema = z
  .object({
    sessionId: z.string(),
    source: sessionSourceSchema,
    file: z.string(),
    score: z.number().min(0).max(1),
    /** False when nothing was linked: the score rests on heuristics alone. */
    outcomeKnown: z.boolean(),
    outcome: sessionOutcomeSchema.nullable(),
    signals: z.record(z.string(), scoreSignalSchema),
    reasons: z.array(z.string()),
    links: sessionLinksSchema,
    /** A recorded verdict, which overrides the computed score. */
    verdict: verdictSchema.optional(),
  })
  .meta({ id: 'SessionScore' });
export type SessionScore = z.infer<typeof sessionScoreSchema>;

export const { parse: parseSessionScore, safeParse: safeParseSessionScore } = createParsers('SessionScore', sessionScoreSchema);
