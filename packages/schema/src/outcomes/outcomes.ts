import { z } from 'zod';
import { createParsers } from '../create-parsers.js';
import { sessionWarningSchema } from '../session-warning.js';

/** ISO 8601 time, normalised to UTC by the reader. */
const isoTime = z.string();

/** Where a record was read: a file and, for line-based files, its 1-based line. */
export const sourceRefSchema = z
  .object({
    file: z.string(),
    line: z.number().int().positive().optional(),
  })
  .meta({ id: 'SourceRef' });
export type SourceRef = z.infer<typeof sourceRefSchema>;

/** The statuses bd knows (gastown-beads.md T5); stores may add custom ones, kept as written. */
export const knownBeadStatuses = ['open', 'in_progress', 'blocked', 'deferred', 'closed', 'pinned', 'hooked', 'tombstone'] as const;

/** The fields of a merge-request bead's description (`branch:`, `source_issue:` … lines, T9 #8). */
export const mergeRequestSchema = z
  .object({
    branch: z.string().optional(),
    target: z.string().optional(),
    sourceIssue: z.string().optional(),
    commitSha: z.string().optional(),
    mergeCommit: z.string().optional(),
    worker: z.string().optional(),
    retryCount: z.number().int().nonnegative().optional(),
    closeReason: z.string().optional(),
  })
  .meta({ id: 'MergeRequest' });
export type MergeRequest = z.infer<typeof mergeRequestSchema>;

/** One bead (issue) as bd exported or listed it, reduced to what linking and lifecycles need. */
export const beadSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().optional(),
    /** As written; see `knownBeadStatuses`. */
    status: z.string(),
    issueType: z.string().optional(),
    assignee: z.string().optional(),
    createdAt: isoTime.optional(),
    createdBy: z.string().optional(),
    updatedAt: isoTime.optional(),
    /** First transition to `in_progress` (newer bd only). */
    startedAt: isoTime.optional(),
    closedAt: isoTime.optional(),
    /** The last close wins; `no-changes: …` marks a close without code. */
    closeReason: z.string().optional(),
    labels: z.array(z.string()),
    parent: z.string().optional(),
    dependencies: z.array(z.object({ dependsOnId: z.string(), type: z.string() })),
    ephemeral: z.boolean().optional(),
    /** Present on merge-request beads (label `gt:merge-request`). */
    mergeRequest: mergeRequestSchema.optional(),
    source: sourceRefSchema,
  })
  .meta({ id: 'Bead' });
export type Bead = z.infer<typeof beadSchema>;

export const beadEventKinds = ['created', 'status', 'closed', 'reopened', 'updated', 'commented', 'label', 'dependency', 'other'] as const;

/**
 * One change of a bead, from bd's `events` table (row dumps) or `interactions.jsonl`
 * `field_change` lines, decoded (gastown-beads.md T7).
 */
export const beadEventSchema = z
  .object({
    issueId: z.string(),
    kind: z.enum(beadEventKinds),
    actor: z.string().optional(),
    /** Event time, already corrected by the store's clock offset when one was detected. */
    at: isoTime,
    /** Status before and after, when the event changed it. */
    from: z.string().optional(),
    to: z.string().optional(),
    /** The assignee the change set, when it set one. */
    assignee: z.string().optional(),
    /** Close reason (`closed`) or the reopen reason. */
    reason: z.string().optional(),
    origin: z.enum(['events', 'interactions']),
    source: sourceRefSchema,
  })
  .meta({ id: 'BeadEvent' });
export type BeadEvent = z.infer<typeof beadEventSchema>;

/** One beads database: a resolved `.beads/` folder (after `redirect`) or a row-dump folder. */
export const beadsStoreSchema = z
  .object({
    /** The folder read (absolute). */
    dir: z.string(),
    /** `bd`: issues came from `bd list --all --json`; `files`: from the JSONL files. */
    origin: z.enum(['bd', 'files']),
    /** Id prefixes seen in this store (`gt`, `hq`). */
    prefixes: z.array(z.string()),
    beads: z.array(beadSchema),
    events: z.array(beadEventSchema),
    /**
     * Milliseconds added to every event time: Gas Town's Dolt stores server-local time labelled
     * `Z` (gastown-beads.md §6.1); detected from close events against `closed_at`.
     */
    eventClockOffsetMs: z.number().int().optional(),
  })
  .meta({ id: 'BeadsStore' });
export type BeadsStore = z.infer<typeof beadsStoreSchema>;

/** One line of `~/gt/.events.jsonl`. */
export const townEventSchema = z
  .object({
    at: isoTime,
    type: z.string(),
    actor: z.string().optional(),
    payload: z.record(z.string(), z.unknown()),
    source: sourceRefSchema,
  })
  .meta({ id: 'TownEvent' });
export type TownEvent = z.infer<typeof townEventSchema>;

/** A Gas Town town: its root, events and prefix routes. */
export const townSchema = z
  .object({
    root: z.string(),
    events: z.array(townEventSchema),
    /** `~/gt/.beads/routes.jsonl`, paths made absolute. */
    routes: z.array(z.object({ prefix: z.string(), path: z.string() })),
  })
  .meta({ id: 'Town' });
export type Town = z.infer<typeof townSchema>;

/** One commit as `git log` gave it (no diff: diffs are read later, only for linked commits). */
export const commitSchema = z
  .object({
    sha: z.string(),
    parents: z.array(z.string()),
    authorName: z.string(),
    authorEmail: z.string(),
    authorTime: isoTime,
    committerName: z.string(),
    committerEmail: z.string(),
    committerTime: isoTime,
    /** git's subject: the first paragraph of the message on one line. */
    subject: z.string(),
    /** The whole raw message (body and trailers included). */
    message: z.string(),
    /** Reachable from the default branch: the change landed. */
    landed: z.boolean(),
    /** Polecat branches (`polecat/<name>/<bead>@…`) that hold it and the default branch does not. */
    branches: z.array(z.string()),
  })
  .meta({ id: 'Commit' });
export type Commit = z.infer<typeof commitSchema>;

/** A git repository (all its worktrees share one), with every commit of every ref. */
export const repositorySchema = z
  .object({
    /** The common git directory (absolute): the key worktrees share. */
    id: z.string(),
    /** The worktree roots seen for it. */
    worktrees: z.array(z.string()),
    /** `main`, `origin/main`, …: what `landed` is measured against; absent when none was found. */
    defaultBranch: z.string().optional(),
    commits: z.array(commitSchema),
  })
  .meta({ id: 'Repository' });
export type Repository = z.infer<typeof repositorySchema>;

/** What a session's working directory resolves to. */
export const placeSchema = z
  .object({
    cwd: z.string(),
    /** `BeadsStore.dir` of the nearest `.beads/` (redirect followed). */
    beadsStore: z.string().optional(),
    /** `Repository.id` of the repository holding the cwd. */
    repository: z.string().optional(),
    /** `Town.root` when the cwd is inside a Gas Town town. */
    town: z.string().optional(),
  })
  .meta({ id: 'Place' });
export type Place = z.infer<typeof placeSchema>;

/** Claude Code's own judgement of a session (`~/.claude/usage-data/facets/<session-id>.json`, written by `/insights`). */
export const sessionFacetsSchema = z
  .object({
    sessionId: z.string(),
    /** `fully_achieved`, `mostly_achieved`, `partially_achieved`, `not_achieved`, `unclear_from_transcript`. */
    outcome: z.string().optional(),
    helpfulness: z.string().optional(),
    frictionCounts: z.record(z.string(), z.number()),
    satisfactionCounts: z.record(z.string(), z.number()),
    source: sourceRefSchema,
  })
  .meta({ id: 'SessionFacets' });
export type SessionFacets = z.infer<typeof sessionFacetsSchema>;

export const OUTCOMES_VERSION = 1;

/**
 * Everything read about task outcomes for one run: beads stores, towns, repositories, where each
 * session cwd points, facets, and what could not be read. Plain JSON: it crosses threads unchanged.
 */
export const outcomesSchema = z
  .object({
    outcomesVersion: z.literal(OUTCOMES_VERSION),
    stores: z.array(beadsStoreSchema),
    towns: z.array(townSchema),
    repositories: z.array(repositorySchema),
    places: z.array(placeSchema),
    facets: z.array(sessionFacetsSchema),
    warnings: z.array(sessionWarningSchema),
  })
  .meta({ id: 'Outcomes' });
export type Outcomes = z.infer<typeof outcomesSchema>;

export const { parse: parseOutcomes, safeParse: safeParseOutcomes } = createParsers('Outcomes', outcomesSchema);

/** The diff of one commit, read only for commits linked to a session. */
export const commitPatchSchema = z
  .object({
    sha: z.string(),
    files: z.array(
      z.object({
        path: z.string(),
        additions: z.number().int().nonnegative(),
        deletions: z.number().int().nonnegative(),
        /** The added lines' text, without the leading `+`. */
        addedLines: z.array(z.string()),
        binary: z.boolean().optional(),
      }),
    ),
  })
  .meta({ id: 'CommitPatch' });
export type CommitPatch = z.infer<typeof commitPatchSchema>;
