import { type Session } from '@forge/schema';
import { type ToolDefinitionOrigins } from '../conversation/infer-tool-definitions.js';
import { type PreparedConversation, type PreparedTurn } from '../conversation/prepared-conversation.js';
import { type PlannedPair, type PlannedSingle } from '../pairs/plan-pairs.js';
import { type PairConversation } from '../pairs/split-pair.js';
import { type TokenWindow } from '../length/token-windows.js';
import type { RowLabels } from '../session/process-session.js';
import { type ShareGptOptions } from './sharegpt-format.js';

/** Where a format's two files go, relative to the dataset folder. */
export interface FormatFiles {
  train: string;
  validation: string;
}

/** The options that shape records and sidecars (from the builder's options). */
export interface FormatOptions {
  /** Dataset name used in sidecars (`dataset_info.json` names `<name>_train`, `<name>_validation`). */
  datasetName: string;
  shareGpt?: ShareGptOptions;
}

/**
 * What one session offers a format: one call with the whole prepared conversation and every
 * window (the session is then held whole for it), or, for a `perWindow` format, one call per token
 * window as the window closes (`windows` holds that window, `conversation` is the window's), so a
 * session of any size streams through it.
 */
export interface FormatSessionInput {
  /** The redacted, prepared conversation of the whole session. */
  conversation: PreparedConversation;
  /** The conversation cut to the token budget: one window when it fits. */
  windows: readonly TokenWindow[];
  /** The redacted session the conversation was prepared from (its times, models, usage, subagent link), without its messages (`messages` is empty). */
  session: Session;
  /** What forge knows of the session beyond its content: role, beads, score. */
  labels: RowLabels;
}

/** A subagent session's row, handed to its parent's format at merge time. */
export interface NestedRow {
  line: string;
  /** The parent's tool call that started the subagent, when recorded. */
  toolCallId: string | undefined;
}

/** One row of a format as JSON text, or a part of the session left out (it goes to the manifest as `kind: 'row'`). */
export type FormatRow = { line: string } | { skippedPart: string; reason: string };

/** Totals over the kept sessions that a format's manifest notes mention. */
export interface FormatNoteFacts {
  /** Assistant turns whose reasoning is hollow (signed but empty). */
  hollowReasoningTurns: number;
  /** Assistant turns that carry reasoning text. */
  reasoningTurns: number;
  /** Tool definitions over the kept sessions, by where they came from. */
  toolDefinitions: ToolDefinitionOrigins;
}

/**
 * A file written beside the rows. JSON sidecars with the same path from several formats are
 * merged key by key, in registry order (each LLaMA-Factory format adds its entries to one
 * `dataset_info.json`); a text sidecar has one owner.
 */
export type SidecarFile = { path: string; json: Record<string, unknown> } | { path: string; text: string };

/**
 * One item of preference data, joined at merge time from the redacted, prepared conversations of
 * its sessions: a pair (chosen vs rejected after a shared prompt) or a single (a bead's only
 * attempt, with its label).
 */
export type PreferenceItem =
  | { kind: 'pair'; pair: PlannedPair; conversation: PairConversation }
  | { kind: 'single'; single: PlannedSingle; prompt: PreparedConversation; completion: PreparedTurn[] };

/**
 * A dataset format: how its rows are built and validated, what the manifest says about it, and
 * the files it adds. Registered in `format-registry.ts`.
 *
 * Rows are built per session (`sessionRows`, in the per-session path, which may run in a worker):
 * SFT formats give one row per token window ({@link rowPerWindow}), a trajectory format would give
 * one per session. A format whose rows span sessions (preference pairs) has the merge-time hook
 * `preferenceRow` instead.
 */
export interface DatasetFormat<Name extends string = string> {
  /** The name `--format` takes; also the folder of its files. */
  readonly name: Name;
  /** `false` for a format written only when asked for by name (not part of the default set). */
  readonly byDefault?: false;
  /**
   * The format's one Parquet schema (column name → DuckDB type), for `--format parquet`: every
   * shard of every run has these Arrow types. A format without one is written as JSONL only.
   */
  readonly parquetColumns?: Readonly<Record<string, string>>;
  /**
   * `sessionRows` gives one row per token window from `windows` alone ({@link rowPerWindow}): it
   * is called once per window as each closes, so a huge session is never held whole for it.
   * Absent: one call with the whole conversation (see {@link FormatSessionInput}).
   */
  readonly perWindow?: true;
  /** One session's rows in row order, each a validated record as one JSON line. Never throws: a bad row is skipped. */
  sessionRows(input: FormatSessionInput, options: FormatOptions): Iterable<FormatRow>;
  /**
   * The merge-time (cross-session) hook of a format whose rows join sessions (DPO, KTO): one row
   * per preference item, or undefined when the item is not for this format (a pair for an unpaired
   * format). Such a format's `sessionRows` gives nothing; the merge builds its rows from the plan.
   */
  preferenceRow?(item: PreferenceItem, options: FormatOptions): FormatRow | undefined;
  /** What this format cannot carry or does differently, for the manifest. */
  notes(facts: FormatNoteFacts, options: FormatOptions): string[];
  /** Files beside the rows (trainer configs), given where the rows go. */
  sidecars(files: FormatFiles, options: FormatOptions): SidecarFile[];
  /**
   * For a format that embeds a subagent session in its parent's row (ATIF's
   * `subagent_trajectories`): the parent's line with the kept children's lines nested. A child
   * nested this way is no row of its own in this format; without this hook every session is one.
   */
  nestChildren?(parentLine: string, children: readonly NestedRow[]): string;
  /**
   * For a format whose rows embed the session's labels (ATIF's `extra.forge`): the line with
   * `labels` in place, applied at merge time, since a score may be given after the rows were built
   * (`DatasetMerger.label`). Without this hook the labels go to `rows.jsonl` only.
   */
  relabel?(line: string, labels: RowLabels): string;
}

/**
 * `sessionRows` for formats with one row per token window: `toLine` builds and validates the
 * record of one window (throwing when it does not validate); a window that fails is left out and
 * reported. Rows are made one at a time, so a caller can store each before the next is built.
 */
export function rowPerWindow(toLine: (window: PreparedConversation, options: FormatOptions) => string): DatasetFormat['sessionRows'] {
  return function* ({ windows }, options) {
    for (const window of windows) {
      let line: string;
      try {
        line = toLine(window.conversation, options);
      } catch (error) {
        yield { skippedPart: String(window.index), reason: error instanceof Error ? error.message : String(error) };
        continue;
      }
      yield { line };
    }
  };
}

/** The note of a format whose rows carry tools: which definitions the model was offered and which are guesses. */
export function toolDefinitionsNote({ toolDefinitions: { recorded, catalog, inferred } }: FormatNoteFacts): string {
  return `tool definitions over the kept sessions: ${recorded} as the sessions recorded them, ${catalog} from the given catalog, ${inferred} inferred from the calls (no description; parameters from the arguments seen)`;
}
