import { z } from 'zod';
import { createParsers } from './create-parsers.js';

// The custom entries forge's pi/omp extensions (@forge/pi-extensions) append to the session they
// run in, through `pi.appendEntry(customType, data)`, and the one `forge synth run` appends to the
// sessions it generated (data: `syntheticTagSchema`). Each lands in the session file as
// `{"type":"custom","customType":<type>,"data":<data>,"id",…,"parentId",…,"timestamp",…}`; the
// pi-family reader matches `customType` and validates `data` with the schemas below.

/** The `customType` of each entry; `data.v` is the entry's format version. */
export const forgeEntryTypes = {
  /** training-capture, at every `turn_end`: the turn's tool calls. */
  turn: 'forge.capture.turn',
  /** training-capture, at every `agent_end` (once per prompt): totals of the run. */
  agent: 'forge.capture.agent',
  /** outcome-tagging, at every `agent_end`: the beads the run's `bd` calls closed or updated. */
  beads: 'forge.outcome.beads',
  /** `forge synth run`, after the program exited: the run's `SyntheticTag` (the `Session.synthetic` value). */
  synthetic: 'forge.synthetic',
} as const;
export type ForgeEntryType = (typeof forgeEntryTypes)[keyof typeof forgeEntryTypes];

/** One tool call of a turn as the capture saw it: never the argument values, only their names. */
export const capturedToolCallSchema = z.object({
  toolCallId: z.string(),
  toolName: z.string(),
  /** The names of the call's arguments, in the order the model wrote them. */
  argumentKeys: z.array(z.string()),
  /** From `tool_result` (or the turn's tool results); null when no result came (blocked, aborted). */
  isError: z.boolean().nullable(),
  /** Milliseconds from `tool_call` to `tool_result`; null when no result came. */
  durationMs: z.number().int().nonnegative().nullable(),
});
export type CapturedToolCall = z.infer<typeof capturedToolCallSchema>;

/** `data` of a `forge.capture.turn` entry. */
export const forgeTurnEntrySchema = z
  .object({
    v: z.literal(1),
    /** The harness's `turnIndex` (0-based within one prompt's run). */
    turnIndex: z.number().int().nonnegative(),
    /** Milliseconds from `turn_start` to `turn_end`; null when the start was not seen. */
    durationMs: z.number().int().nonnegative().nullable(),
    /** The assistant message's stop reason (`toolUse`, `stop`, `error`, …), when it has one. */
    stopReason: z.string().optional(),
    tools: z.array(capturedToolCallSchema),
  })
  .meta({ id: 'ForgeTurnEntry' });
export type ForgeTurnEntry = z.infer<typeof forgeTurnEntrySchema>;

/** `data` of a `forge.capture.agent` entry. */
export const forgeAgentEntrySchema = z
  .object({
    v: z.literal(1),
    /** Milliseconds from `agent_start` to `agent_end`; null when the start was not seen. */
    durationMs: z.number().int().nonnegative().nullable(),
    turns: z.number().int().nonnegative(),
    toolCalls: z.number().int().nonnegative(),
    toolErrors: z.number().int().nonnegative(),
  })
  .meta({ id: 'ForgeAgentEntry' });
export type ForgeAgentEntry = z.infer<typeof forgeAgentEntrySchema>;

/** One `bd` (or `gt close`) call that changes beads, read from a bash tool call and its result. */
export const beadOperationSchema = z.object({
  toolCallId: z.string(),
  program: z.enum(['bd', 'gt']),
  command: z.enum(['close', 'update', 'reopen', 'create']),
  /** The beads named by the command; for `create`, the id the result reported. */
  beadIds: z.array(z.string()),
  /** The status the command set (`closed` for close, `--status` or `in_progress` for `--claim`). */
  status: z.string().optional(),
  /** `--reason` of a close, verbatim. */
  reason: z.string().optional(),
  /** The bash tool result's error flag; null when no result came. */
  isError: z.boolean().nullable(),
  /** The result's text names every bead id of the operation (bd prints `✓ Closed <id>`, `✓ Updated issue: <id>`…). */
  confirmed: z.boolean(),
});
export type BeadOperation = z.infer<typeof beadOperationSchema>;

/** `data` of a `forge.outcome.beads` entry: first-hand evidence of what a run did to its beads. */
export const forgeBeadsEntrySchema = z
  .object({
    v: z.literal(1),
    /** Beads whose last successful operation in this run closed them. */
    closed: z.array(z.string()),
    /** Beads the run created, updated, claimed or reopened successfully and did not close. */
    updated: z.array(z.string()),
    /** Every bead-changing call of the run, in call order, failed ones included. */
    operations: z.array(beadOperationSchema),
  })
  .meta({ id: 'ForgeBeadsEntry' });
export type ForgeBeadsEntry = z.infer<typeof forgeBeadsEntrySchema>;

const entryLine = z.number().int().positive();

/**
 * What forge's own extensions wrote into a session (`Session.forgeEntries`): the valid entries on
 * the session's branch, in file order, each with its line in the session file (link evidence
 * points there). Entries whose `data` does not validate are warnings, not here.
 */
export const sessionForgeEntriesSchema = z
  .object({
    /** training-capture `forge.capture.turn` entries. */
    turns: z.array(forgeTurnEntrySchema.extend({ line: entryLine })),
    /** training-capture `forge.capture.agent` entries (one per prompt's run). */
    runs: z.array(forgeAgentEntrySchema.extend({ line: entryLine })),
    /** outcome-tagging `forge.outcome.beads` entries: first-hand evidence for linking beads. */
    beads: z.array(forgeBeadsEntrySchema.extend({ line: entryLine })),
  })
  .meta({ id: 'SessionForgeEntries' });
export type SessionForgeEntries = z.infer<typeof sessionForgeEntriesSchema>;

export const { parse: parseForgeTurnEntry, safeParse: safeParseForgeTurnEntry } = createParsers('ForgeTurnEntry', forgeTurnEntrySchema);
export const { parse: parseForgeAgentEntry, safeParse: safeParseForgeAgentEntry } = createParsers('ForgeAgentEntry', forgeAgentEntrySchema);
export const { parse: parseForgeBeadsEntry, safeParse: safeParseForgeBeadsEntry } = createParsers('ForgeBeadsEntry', forgeBeadsEntrySchema);
