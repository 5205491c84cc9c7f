import { type Session } from '@forge/schema';
import { type DatasetFormat } from './formats/dataset-format.js';
import { type FormatName } from './formats/format-registry.js';
import { type PairPlan } from './pairs/plan-pairs.js';
import { createDatasetMerger, type AddSessionResult, type BuiltDataset, type DatasetMergerOptions, type LateLabels, type TransformManifest } from './merge/dataset-merger.js';
import { createFileRowStore, createMemoryRowStore, type RowReference, type ThreadRowSpill } from './row-store.js';
import { type ShareGptOptions } from './formats/sharegpt-format.js';
import { createSessionProcessor, type ProcessedSession, type SessionLabels, type SessionHead, type SessionPasses, type SessionProcessor, type SessionProcessorOptions } from './session/process-session.js';
import { type FormatOptions } from './formats/dataset-format.js';
import { decodeLateLabels, decodeProcessedSession, encodeLateLabels, encodeProcessedSession } from './shard/processed-session-codec.js';
import { TransformError } from './transform-error.js';

/** Options of {@link createDatasetBuilder}. Every field has a default. */
export interface DatasetBuilderOptions
  extends Omit<SessionProcessorOptions, 'formatOptions' | 'rowStore'>,
    Omit<DatasetMergerOptions, 'formatOptions' | 'rowStore' | 'tokenCounter'> {
  /** ShareGPT options. */
  shareGpt?: ShareGptOptions;
  /** Dataset name for `dataset_info.json` (default `forge`). */
  datasetName?: string;
  /**
   * A folder for a temporary file that holds emitted rows until the dataset is closed (deleted
   * then): memory holds only offsets. Default: rows are kept in memory.
   */
  spillDirectory?: string;
  /**
   * Receives each processed session as a line (rows and duplicate signature inlined) before it
   * joins the merge, and each session's late labels as a line: what `forge run --shard` keeps so
   * shards can be merged later (`addProcessedLine` takes both kinds back).
   */
  recordProcessed?: (line: string) => Promise<void> | void;
}

/** Builds a dataset from sessions added one at a time; see {@link createDatasetBuilder}. */
export interface DatasetBuilder {
  /**
   * Runs the per-session path (redact, prepare, token windows, rows of every format, duplicate
   * signature) and hands the result to the merge. Never throws for bad content: a session that
   * cannot be used is skipped and reported. Safe to call concurrently. `labels` (a score, bead
   * ids) travel into the bookkeeping of the session's rows; a given score is the dedup tie-break.
   */
  addSession(session: Session, labels?: SessionLabels): Promise<AddSessionResult>;
  /**
   * The same for a session read in passes (a file too big to hold: `sessionPassesOf` of
   * @forge/reader-kit), one token window at a time (`SessionProcessor.processPasses`). Undefined
   * when the passes held no session.
   */
  addSessionPasses(passes: SessionPasses, labels?: SessionLabels | ((head: SessionHead) => SessionLabels)): Promise<AddSessionResult | undefined>;
  /**
   * Adds a session processed on another thread by {@link createBuilderProcessor} to the merge, as
   * if `addSession` had processed it here. Its rows are the row strings themselves, or, with
   * `rowFile`, references into that file (the processing thread's `ThreadRowSpill`, flushed).
   */
  addProcessedSession(processed: ProcessedSession, rowFile?: string): Promise<AddSessionResult>;
  /**
   * Adds a session processed elsewhere (a line of `encodeProcessedSession`, from a shard's
   * `recordProcessed`) to the merge, as if `addSession` had processed it here; a late-labels line
   * is handed to `labelSession` (and gives undefined). `where` (file:line) names a bad line.
   */
  addProcessedLine(line: string, where: string): Promise<AddSessionResult | undefined>;
  /**
   * Labels given late: the score and worked beads of an accepted session (by the `key` its add
   * gave), known only once every session was read. Rows are not rebuilt: the merge applies the
   * labels (tie-break, `minScore`, `rows.jsonl`, labels a format embeds). Before `finish()`.
   */
  labelSession(key: string, labels: LateLabels): Promise<void>;
  /** Drops duplicates (keeping the best-scored copy), orders and splits, and builds the preference formats' rows from `preferences`; later calls return the same dataset. */
  finish(preferences?: PairPlan): BuiltDataset;
}

/**
 * Creates a dataset builder: the per-session path and the merge step with one set of options.
 * Add sessions as they are read, then `finish()` for the dataset, and `writeDataset` to write it.
 */
export async function createDatasetBuilder(options: DatasetBuilderOptions = {}): Promise<DatasetBuilder> {
  const formatOptions = builderFormatOptions(options);
  const rowStore = options.spillDirectory == null ? createMemoryRowStore() : createFileRowStore(options.spillDirectory);
  const processor = await createSessionProcessor({ ...options, formatOptions, rowStore });
  const merger = await createDatasetMerger({ ...options, formatOptions, rowStore, tokenCounter: processor.tokenCounter });
  let finished = false;
  const add = async (processed: ProcessedSession): Promise<AddSessionResult> => {
    await options.recordProcessed?.(encodeProcessedSession(processed, rowStore));
    return merger.add(processed);
  };
  const builder: DatasetBuilder = {
    async addSession(session, labels) {
      if (finished) throw new TransformError({ message: 'addSession() was called after finish()', code: 'builder-finished', hint: 'create a new builder for another dataset' });
      return add(await processor.process(session, labels));
    },
    async addSessionPasses(passes, labels) {
      if (finished) throw new TransformError({ message: 'addSessionPasses() was called after finish()', code: 'builder-finished', hint: 'create a new builder for another dataset' });
      const processed = await processor.processPasses(passes, labels);
      return processed == null ? undefined : add(processed);
    },
    async addProcessedLine(line, where) {
      const late = decodeLateLabels(line, where);
      if (late != null) {
        await builder.labelSession(late.key, late.labels);
        return undefined;
      }
      await options.recordProcessed?.(line);
      return merger.add(decodeProcessedSession(line, rowStore, where));
    },
    async addProcessedSession(processed, rowFile) {
      if (finished) throw new TransformError({ message: 'addProcessedSession() was called after finish()', code: 'builder-finished', hint: 'create a new builder for another dataset' });
      if (processed.status === 'skipped') {
        await options.recordProcessed?.(encodeProcessedSession(processed));
        return merger.add(processed);
      }
      const store = (reference: RowReference) => (rowFile == null ? rowStore.put(inMemory.get(reference)) : rowStore.adopt(rowFile, reference));
      const rows = Object.fromEntries(Object.entries(processed.rows).map(([format, references]) => [format, references.map(store)]));
      return add({ ...processed, rows });
    },
    async labelSession(key, labels) {
      merger.label(key, labels);
      await options.recordProcessed?.(encodeLateLabels(key, labels));
    },
    finish(preferences) {
      finished = true;
      return merger.finish(preferences);
    },
  };
  return builder;
}

/** Where {@link createBuilderProcessor} puts rows: a reference is the row itself. */
const inMemory = createMemoryRowStore();

function builderFormatOptions(options: DatasetBuilderOptions): FormatOptions {
  return { datasetName: options.datasetName ?? 'forge', ...(options.shareGpt == null ? {} : { shareGpt: options.shareGpt }) };
}

/**
 * The builder's per-session path on its own, for another thread (a `forge run` worker): the same
 * options as the builder's, rows kept in memory (a row's reference is its string) or put in
 * `rowSpill` (the thread's `createThreadRowSpill`). Hand each result to the builder's
 * `addProcessedSession` (with the spill's path, once flushed): the same as `addSession`.
 */
export async function createBuilderProcessor(options: Omit<DatasetBuilderOptions, 'spillDirectory' | 'recordProcessed'> = {}, rowSpill?: ThreadRowSpill): Promise<SessionProcessor> {
  return createSessionProcessor({ ...options, formatOptions: builderFormatOptions(options), rowStore: rowSpill ?? inMemory });
}

/** Options of {@link exportSession}: the builder's, minus what needs more than one session. */
export type ExportSessionOptions = Omit<DatasetBuilderOptions, 'formats' | 'dedup' | 'validationRatio' | 'spillDirectory' | 'recordProcessed'>;

/**
 * One session to the JSONL lines of one format (redacted, noise policy and token budget applied;
 * no dedup, no split): what `forge export FILE --format …` prints.
 */
export async function exportSession(session: Session, format: FormatName | DatasetFormat, options: ExportSessionOptions = {}): Promise<{ lines: string[]; manifest: TransformManifest }> {
  const builder = await createDatasetBuilder({ ...options, formats: [format], validationRatio: 0, dedup: { exact: false, nearDuplicates: false } });
  await builder.addSession(session);
  const dataset = builder.finish();
  try {
    return { lines: [...dataset.lines(typeof format === 'string' ? format : format.name, 'train')], manifest: dataset.manifest };
  } finally {
    dataset.close();
  }
}
