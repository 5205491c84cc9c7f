import { type DatasetManifest } from '@forge/schema';
import xxhash from 'xxhash-wasm';
import { compareStrings } from '../conversation/infer-tool-definitions.js';
import { DuplicateFinder, type DedupOptions, type DuplicateDrop } from '../dedup/duplicate-finder.js';
import { type DatasetFormat, type FormatFiles, type FormatOptions } from '../formats/dataset-format.js';
import { resolveFormats } from '../formats/format-registry.js';
import { defaultDatasetFilePath, mergeSidecars, rowsFilePath } from '../output/dataset-layout.js';
import { createRedactor, type RedactionOptions } from '../redact/redactor.js';
import { createMemoryRowStore, type RowReference, type RowStore } from '../row-store.js';
import { type PreparedConversation } from '../conversation/prepared-conversation.js';
import { type PairPlan } from '../pairs/plan-pairs.js';
import { preferenceItems, preferenceMaterialKey } from '../pairs/preference-items.js';
import { type PreferenceLabels, type ProcessedSession, type RowLabels, type SkippedItem } from '../session/process-session.js';
import { assignSplit, type DatasetSplit } from '../split/assign-split.js';
import { TransformError } from '../transform-error.js';
import { summarizeKeptSessions } from './dataset-totals.js';
import { HeldSessions } from './held-sessions.js';

/** What happened to one added session; `key` names an accepted one for {@link DatasetMerger.label}. */
export type AddSessionResult = { status: 'accepted'; key: string; rows: number } | { status: 'skipped'; reason: string };

/**
 * Labels given late: what is known of a session only after every session was read (its score,
 * the beads it worked). They change no row content but the merge's decisions: the dedup
 * tie-break, `minScore`, `rows.jsonl`, and the labels a format embeds (`DatasetFormat.relabel`).
 */
export interface LateLabels {
  score: number;
  beads?: readonly string[];
}

/** The parts of the dataset manifest this package computes from the sessions; the caller adds version, options, inputs and warnings. */
export type TransformManifest = Pick<DatasetManifest, 'counts' | 'tokens' | 'redactions' | 'skipped' | 'formats'>;

/** One row of the dataset: its JSON line and the bookkeeping of the session it came from. The line is read from the row store when asked for. */
export interface DatasetRow {
  readonly line: string;
  /** The same line as UTF-8 (what a file holds): a spilled row is read as it is, never decoded and encoded again. */
  readonly bytes: Buffer;
  labels: RowLabels;
}

/** An accepted session as the merge holds it until the end: no text, only references into the row store. */
export type MergedSession = Omit<Extract<ProcessedSession, { status: 'accepted' }>, 'status' | 'duplicate' | 'skipped'>;

/** A session that survived dedup, with its side of the split. */
export type KeptSession = MergedSession & { split: DatasetSplit };

/** What the merge keeps of an accepted session once it settles (facts and token counts are read back once, for the totals): which one it is, in the order added. */
type SettledSession = Omit<MergedSession, 'facts' | 'windowTokens'> & { index: number };

/** A settled session that survived dedup, with its side of the split. */
type WrittenSession = SettledSession & { split: DatasetSplit };

/**
 * The merged dataset: dedup decided, sessions ordered and split. Rows are read from the row store
 * as they are iterated (any number of times until `close()`), so a dataset larger than memory can
 * be written. Byte-identical for the same sessions added in any order.
 */
export interface BuiltDataset {
  /** The formats built, in registry order: where their files go, and their lines. */
  formats: Record<string, FormatLines>;
  /** A format's rows of one split, in their final order. */
  rows(format: string, split: DatasetSplit): Generator<DatasetRow>;
  /** The same rows' JSON lines (no trailing newline). */
  lines(format: string, split: DatasetSplit): Generator<string>;
  /** Files beside the rows (`dataset_info.json`, `axolotl.yaml`), with their final text. */
  sidecars: ReadonlyArray<{ path: string; text: string }>;
  manifest: TransformManifest;
  /** Redacts texts the caller adds to the manifest (input paths, reasons) with the dataset's own redaction rules. */
  redactTexts(texts: readonly string[]): Promise<string[]>;
  /** Releases the row store (deletes a spill file). */
  close(): void;
}

/** One format of a built dataset. */
export interface FormatLines {
  /** Where its files go, relative to the dataset folder. */
  readonly files: FormatFiles;
  /** The format's Parquet schema, when it has one (see {@link DatasetFormat.parquetColumns}). */
  readonly parquetColumns?: Readonly<Record<string, string>>;
  /** Every train line, read into memory on each access: a convenience for small datasets (stream big ones with `lines()`). */
  readonly train: string[];
  /** Every validation line, read into memory on each access. */
  readonly validation: string[];
}

/** Options of {@link createDatasetMerger}. */
export interface DatasetMergerOptions {
  /** The formats the added sessions were built for (default all registered). */
  formats?: readonly (string | DatasetFormat)[];
  /** Exact and near-duplicate removal (both on by default). */
  dedup?: DedupOptions;
  /** Share of sessions in the validation split (default 0.05), assigned by a hash of the session id. */
  validationRatio?: number;
  /** Where each file goes, relative to the dataset folder (default `<format>/train.jsonl`, `<format>/val.jsonl`). */
  filePath?: (format: string, split: DatasetSplit) => string;
  /** Options the formats' notes and sidecars depend on. */
  formatOptions?: FormatOptions;
  /** The row store the sessions' rows were put in (default: memory); one that spills also holds each session's bookkeeping until `finish()`. */
  rowStore?: RowStore;
  /** The token counter's name, for the manifest. */
  tokenCounter?: string;
  /** The redaction rules the sessions were redacted with; used for what the caller adds to the manifest. */
  redaction?: RedactionOptions;
  /** Sessions whose score (given with them or late) is below this are skipped (listed with their score); unscored sessions are kept. */
  minScore?: number;
}

/** The merge step: takes processed sessions in any order, then decides duplicates, order and split. */
export interface DatasetMerger {
  /** Registers one processed session. Throws once `finish()` was called. */
  add(session: ProcessedSession): AddSessionResult;
  /** Gives an accepted session (by the `key` `add` returned) its late labels; before `finish()`. */
  label(key: string, labels: LateLabels): void;
  /**
   * Decides duplicates (keeping the best-scored copy), orders and splits; later calls return the
   * same dataset. `preferences` (from `planPairs`) is what the preference formats' merge-time hook
   * builds its rows from: the one step that joins sessions.
   */
  finish(preferences?: PairPlan): BuiltDataset;
}

/** Creates the merge step of the dataset build. */
export async function createDatasetMerger(options: DatasetMergerOptions = {}): Promise<DatasetMerger> {
  const hash = await xxhash();
  const formats = resolveFormats(options.formats);
  const formatOptions = options.formatOptions ?? { datasetName: 'forge' };
  const filePath = options.filePath ?? defaultDatasetFilePath;
  const validationRatio = options.validationRatio ?? 0.05;
  const rowStore = options.rowStore ?? createMemoryRowStore();
  // The accepted sessions, compact until finish() (see HeldSessions).
  const held = new HeldSessions(hash, rowStore);
  const skipped: SkippedItem[] = [];
  let built: BuiltDataset | undefined;

  function add(session: ProcessedSession): AddSessionResult {
    if (built != null) throw new TransformError({ message: 'a session was added after finish()', code: 'builder-finished', hint: 'create a new builder for another dataset' });
    if (session.status === 'skipped') {
      skipped.push(...session.skipped, { kind: 'session', ref: session.ref, reason: session.reason });
      return { status: 'skipped', reason: session.reason };
    }
    if (held.has(session.key)) {
      const reason = 'exact duplicate of a session already added';
      skipped.push({ kind: 'session', ref: session.ref, reason });
      return { status: 'skipped', reason };
    }
    const { status: _status, duplicate, skipped: parts, ...merged } = session;
    // A session kept only as preference material (an abandoned branch) must never push out the SFT copy of its sibling.
    const sft = Object.keys(session.rows).some((format) => format !== preferenceMaterialKey);
    // The signature waits for finish(): a late score may still leave the session out (minScore) or change the tie-break.
    held.add({ ...merged, parts }, sft ? duplicate : undefined);
    return { status: 'accepted', key: session.key, rows: Math.max(...Object.values(session.rows).map((rows) => rows.length)) };
  }

  function label(key: string, labels: LateLabels): void {
    if (built != null) throw new TransformError({ message: 'a session was labelled after finish()', code: 'builder-finished', hint: 'give late labels before finish()' });
    if (!held.label(key, labels)) throw new TransformError({ message: `no accepted session has the key ${key}`, code: 'unknown-session', hint: 'label a session with the key add() returned' });
  }

  /**
   * Applies `minScore` and registers the rest with the duplicate finder (in key order: the
   * finder's result does not depend on it). The accepted sessions, by key in key order, as
   * writing needs them; and the copies to drop. The finder's index is garbage once this returns.
   */
  function settle(): { accepted: Map<string, SettledSession>; drops: DuplicateDrop[] } {
    const finder = new DuplicateFinder(options.dedup);
    const accepted = new Map<string, SettledSession>();
    for (const index of held.keyOrder()) {
      const { facts: _facts, windowTokens: _windowTokens, parts, ...session } = held.record(index);
      const { score } = session.labels;
      if (options.minScore != null && score != null && score < options.minScore) {
        skipped.push({ kind: 'session', ref: session.ref, reason: `score ${score} is below the minimum score ${options.minScore}` });
        continue;
      }
      skipped.push(...parts);
      const signature = held.signature(index);
      if (signature != null) finder.add(session.key, session.dedupScore, signature);
      accepted.set(session.key, { ...session, index });
    }
    return { accepted, drops: finder.resolve() };
  }

  function finish(preferences?: PairPlan): BuiltDataset {
    built ??= merge(preferences);
    return built;
  }

  /**
   * The merge-time hook: every preference format's rows from the plan, joined with the redacted
   * conversations of every accepted session (a duplicate-dropped abandoned branch still pairs).
   */
  function preferenceRows(plan: PairPlan | undefined, accepted: ReadonlyMap<string, SettledSession>): Map<string, Record<DatasetSplit, { reference: RowReference; labels: RowLabels }[]>> {
    type PreferenceRows = Record<DatasetSplit, { reference: RowReference; labels: RowLabels }[]>;
    const byFormat = new Map<string, PreferenceRows>(formats.filter((format) => format.preferenceRow != null).map((format) => [format.name, { train: [], validation: [] }]));
    if (byFormat.size === 0 || plan == null) return byFormat;
    // In the order added: of two copies of one session, the later one's conversation is the material.
    const sessions = new Map([...accepted.values()].sort((left, right) => left.index - right.index).map((session) => [`${session.labels.source}:${session.labels.sessionId}`, session]));
    const parsed = new Map<string, PreparedConversation | undefined>();
    const conversationOf = (source: string, sessionId: string): PreparedConversation | undefined => {
      const key = `${source}:${sessionId}`;
      if (!parsed.has(key)) {
        const reference = sessions.get(key)?.rows[preferenceMaterialKey]?.[0];
        parsed.set(key, reference == null ? undefined : (JSON.parse(rowStore.get(reference)) as PreparedConversation));
      }
      return parsed.get(key);
    };
    const { items, skipped: notes } = preferenceItems(plan, conversationOf);
    skipped.push(...notes);
    for (const item of items) {
      const main = item.kind === 'pair' ? item.pair.chosen : item.single.session;
      const base = sessions.get(`${main.source}:${main.sessionId}`)!.labels;
      const preference: PreferenceLabels =
        item.kind === 'pair'
          ? { kind: item.pair.kind, bead: item.pair.bead, margin: item.pair.margin, chosen: item.pair.chosen, rejected: item.pair.rejected }
          : { kind: 'single', bead: item.single.bead, label: item.single.label, session: item.single.session };
      const split = assignSplit(hash, main.sessionId, validationRatio);
      for (const format of formats) {
        const row = format.preferenceRow?.(item, formatOptions);
        if (row == null) continue;
        if ('line' in row) byFormat.get(format.name)![split].push({ reference: rowStore.put(row.line), labels: { ...base, preference } });
        else skipped.push({ kind: 'row', ref: row.skippedPart, reason: `${format.name}: ${row.reason}` });
      }
    }
    return byFormat;
  }

  function merge(plan: PairPlan | undefined): BuiltDataset {
    const { accepted, drops } = settle();
    const dropped = new Map(drops.map((drop) => [drop.key, drop]));
    for (const drop of dropped.values()) {
      skipped.push({ kind: 'session', ref: accepted.get(drop.key)!.ref, reason: `${drop.kind} duplicate of ${accepted.get(drop.keptKey)!.ref}` });
    }
    // In key order, as `accepted` is.
    const kept: WrittenSession[] = [...accepted.values()].filter((session) => !dropped.has(session.key)).map((session) => ({ ...session, split: assignSplit(hash, session.labels.sessionId, validationRatio) }));
    const formatFiles = formats.map((format) => ({ name: format.name, files: { train: filePath(format.name, 'train'), validation: filePath(format.name, 'validation') } }));
    const children = subagentsByParent(kept);
    const nesting = new Set(formats.filter((format) => format.nestChildren != null).map((format) => format.name));
    const nestedKeys = new Set([...children.values()].flat().map((child) => child.key));
    /** A session whose row lives inside its parent's row in this format. */
    const isNested = (format: string, key: string) => nesting.has(format) && nestedKeys.has(key);
    // Each kept session's facts and token counts, read back one at a time.
    const keptSessions = function* (): Generator<KeptSession> {
      for (const session of kept) yield { ...held.record(session.index), split: session.split };
    };
    const totals = summarizeKeptSessions(keptSessions(), formatFiles.map(({ name }) => name), isNested);
    const preferences = preferenceRows(plan, accepted);
    for (const [name, splits] of preferences) totals.counts.rowsByFormat[name] = { train: splits.train.length, validation: splits.validation.length };
    /**
     * A session's lines in a format, with its subagents' rows nested when the format nests them (a
     * parent cycle stops at the first repeat). One row read at a time: a multi-GB session's rows
     * never sit in memory together (only the nested children's rows are gathered).
     */
    function* sessionLines(format: DatasetFormat, session: WrittenSession, seen: ReadonlySet<string>): Generator<string> {
      const nested = format.nestChildren == null ? [] : (children.get(session.key) ?? []).filter((child) => !seen.has(child.key));
      const inner = nested.length === 0 ? seen : new Set([...seen, session.key]);
      const childRows = nested.flatMap((child) => [...sessionLines(format, child, inner)].map((line) => ({ line, toolCallId: child.parent?.toolCallId })));
      for (const reference of session.rows[format.name] ?? []) {
        const stored = rowStore.get(reference);
        const line = format.relabel == null ? stored : format.relabel(stored, session.labels);
        yield nested.length === 0 ? line : format.nestChildren!(line, childRows);
      }
    }
    /** A row as stored: read only when its line is asked for (`rows.jsonl` needs only the labels). */
    const storedRow = (reference: RowReference, labels: RowLabels): DatasetRow => ({
      get line() {
        return rowStore.get(reference);
      },
      get bytes() {
        return rowStore.bytes(reference);
      },
      labels,
    });
    const builtRow = (line: string, labels: RowLabels): DatasetRow => ({
      line,
      get bytes() {
        return Buffer.from(line, 'utf8');
      },
      labels,
    });
    function* rows(format: string, split: DatasetSplit): Generator<DatasetRow> {
      const preference = preferences.get(format);
      if (preference != null) {
        for (const row of preference[split]) yield storedRow(row.reference, row.labels);
        return;
      }
      const definition = formats.find((candidate) => candidate.name === format);
      if (definition == null) return;
      // Rows are the stored lines unless the format relabels them or nests subagents' rows.
      const asStored = definition.relabel == null && definition.nestChildren == null;
      for (const session of kept) {
        if (session.split !== split || isNested(format, session.key)) continue;
        if (asStored) for (const reference of session.rows[format] ?? []) yield storedRow(reference, session.labels);
        else for (const line of sessionLines(definition, session, new Set())) yield builtRow(line, session.labels);
      }
    }
    let redactor: ReturnType<typeof createRedactor> | undefined;
    const lines = function* (format: string, split: DatasetSplit): Generator<string> {
      for (const row of rows(format, split)) yield row.line;
    };
    return {
      formats: Object.fromEntries(
        formatFiles.map(({ name, files }, index) => [
          name,
          {
            files,
            ...(formats[index]!.parquetColumns == null ? {} : { parquetColumns: formats[index]!.parquetColumns }),
            get train() {
              return [...lines(name, 'train')];
            },
            get validation() {
              return [...lines(name, 'validation')];
            },
          },
        ]),
      ),
      rows,
      lines,
      sidecars: mergeSidecars(formats.flatMap((format, index) => format.sidecars(formatFiles[index]!.files, formatOptions))),
      manifest: {
        counts: totals.counts,
        tokens: { counter: options.tokenCounter ?? 'tokenx-estimate', ...totals.tokens },
        redactions: totals.redactions,
        skipped: [...skipped].sort((left, right) => compareStrings(left.ref, right.ref) || compareStrings(left.reason, right.reason)),
        formats: formats.map((format, index) => ({
          format: format.name,
          files: [formatFiles[index]!.files.train, formatFiles[index]!.files.validation, rowsFilePath(formatFiles[index]!.files)],
          notes: format.notes(totals.noteFacts, formatOptions),
        })),
      },
      async redactTexts(texts) {
        redactor ??= createRedactor(options.redaction);
        return (await redactor.redactTexts(texts)).texts;
      },
      close: () => rowStore.close(),
    };
  }

  return { add, label, finish };
}

/**
 * The kept subagent sessions under each kept parent (by the parent's key), in key order. A
 * parent kept twice (two copies with different content) takes its subagents to the first.
 */
function subagentsByParent(kept: readonly WrittenSession[]): Map<string, WrittenSession[]> {
  const byRef = new Map<string, WrittenSession>();
  for (const session of kept) if (!byRef.has(session.ref)) byRef.set(session.ref, session);
  const children = new Map<string, WrittenSession[]>();
  for (const session of kept) {
    const parent = session.parent == null ? undefined : byRef.get(session.parent.ref);
    if (parent == null || parent.key === session.key) continue;
    children.set(parent.key, [...(children.get(parent.key) ?? []), session]);
  }
  return children;
}
