import { type Session } from '@forge/schema';
import { type DatasetFormat } from './formats/dataset-format.js';
import { type FormatName } from './formats/format-registry.js';
import { type PairPlan } from './pairs/plan-pairs.js';
import { createDatasetMerger, type AddSessionResult, type BuiltDataset, type DatasetMergerOptions, type TransformManifest } from './merge/dataset-merger.js';
import { createFileRowStore, createMemoryRowStore } from './row-store.js';
import { type ShareGptOptions } from './formats/sharegpt-format.js';
import { createSessionProcessor, type ProcessedSession, type SessionLabels, type SessionPasses, type SessionProcessorOptions } from './session/process-session.js';
import { decodeProcessedSession, encodeProcessedSession } from './shard/processed-session-codec.js';
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
   * joins the merge: what `forge run --shard` keeps so shards can be merged later.
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
  addSessionPasses(passes: SessionPasses, labels?: SessionLabels): Promise<AddSessionResult | undefined>;
  /**
   * Adds a session processed elsewhere (a line `recordProcessed` gave, from a shard) to the merge,
   * as if `addSession` had processed it here. `where` (file:line) names a bad line.
   */
  addProcessedLine(line: string, where: string): AddSessionResult;
  /** Drops duplicates (keeping the best-scored copy), orders and splits, and builds the preference formats' rows from `preferences`; later calls return the same dataset. */
  finish(preferences?: PairPlan): BuiltDataset;
}

/**
 * Creates a dataset builder: the per-session path and the merge step with one set of options.
 * Add sessions as they are read, then `finish()` for the dataset, and `writeDataset` to write it.
 */
export async function createDatasetBuilder(options: DatasetBuilderOptions = {}): Promise<DatasetBuilder> {
  const formatOptions = { datasetName: options.datasetName ?? 'forge', ...(options.shareGpt == null ? {} : { shareGpt: options.shareGpt }) };
  const rowStore = options.spillDirectory == null ? createMemoryRowStore() : createFileRowStore(options.spillDirectory);
  const processor = await createSessionProcessor({ ...options, formatOptions, rowStore });
  const merger = await createDatasetMerger({ ...options, formatOptions, rowStore, tokenCounter: processor.tokenCounter });
  let finished = false;
  const add = async (processed: ProcessedSession): Promise<AddSessionResult> => {
    await options.recordProcessed?.(encodeProcessedSession(processed, rowStore));
    return merger.add(processed);
  };
  return {
    async addSession(session, labels) {
      if (finished) throw new TransformError({ message: 'addSession() was called after finish()', code: 'builder-finished', hint: 'create a new builder for another dataset' });
      return add(await processor.process(session, labels));
    },
    async addSessionPasses(passes, labels) {
      if (finished) throw new TransformError({ message: 'addSessionPasses() was called after finish()', code: 'builder-finished', hint: 'create a new builder for another dataset' });
      const processed = await processor.processPasses(passes, labels);
      return processed == null ? undefined : add(processed);
    },
    addProcessedLine(line, where) {
      return merger.add(decodeProcessedSession(line, rowStore, where));
    },
    finish(preferences) {
      finished = true;
      return merger.finish(preferences);
    },
  };
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
