import { WorkerPool } from '@forge/reader-kit';
import { type SessionSummary, type SessionWarning } from '@forge/schema';
import { CollectionTally, discoverInputs, failedUnitRead, planReadUnits } from '@forge/state';
import { type CliIo } from '../cli-io.js';
import { createProgress } from '../render/progress.js';
import { defaultJobs } from '../run/default-jobs.js';
import { type StatsOptions } from './command-options.js';
import { sourceSelection } from './load-sessions.js';
import { summarizeUnits, type SummaryUnitResult, type SummaryUnitTask } from './summarize-unit.js';

/** What {@link readSummaries} found: what `forge stats` prints. */
export interface CollectedSummaries {
  /** One per session, sorted by source and id (the order `loadSessions` gives the sessions). */
  summaries: SessionSummary[];
  /** Input files read. */
  files: number;
  /** Files that gave no session, with why. */
  skippedFiles: { path: string; reason: string }[];
  /** Warnings no session carries: of discovery, of files, of the cross-file step. */
  fileWarnings: SessionWarning[];
}

/** The worker module: the built sibling, or the TypeScript source when running from sources. */
const workerModule = new URL(import.meta.url.endsWith('.ts') ? './summarize-unit-worker.ts' : './summarize-unit-worker.js', import.meta.url).href;

/**
 * `forge stats`' usage path: the summary of every selected session, read unit by unit (a Claude
 * Code project, or one standalone file) by the same readers and the same per-unit step
 * (`readUnit`) as every other command, but asking for `detail: 'summary'` and summarising each
 * unit's sessions where it was read ({@link summarizeUnit}), so whole Sessions are never held.
 * `jobs` threads (default: the available cores; 1 for inputs under 16 MB): with one, this thread
 * reads; with N > 1, N worker threads read and hand back only summaries. The same output for every `jobs`.
 */
export async function readSummaries(options: Pick<StatsOptions, 'source' | 'root' | 'quiet' | 'jobs'>, io: CliIo): Promise<CollectedSummaries> {
  const progress = createProgress(io, { quiet: options.quiet });
  const selection = sourceSelection(options, io);
  const discovered = await discoverInputs(selection);
  const tally = new CollectionTally(discovered);
  const unitBytes = (files: readonly { size: number }[]) => files.reduce((total, file) => total + file.size, 0);
  const units = planReadUnits(discovered);
  // Each unit's summaries in its slot, so they come out in discovery order whatever the order units finish in.
  const perUnit: SessionSummary[][] = units.map(() => []);
  // Largest first: a big project started last would be read by one thread while the others idle.
  const order = units.map((_unit, index) => index).sort((left, right) => unitBytes(units[right]!.files) - unitBytes(units[left]!.files) || left - right);
  const inputBytes = unitBytes(discovered.files);
  // More threads than units would only start idle threads.
  const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(inputBytes), units.length));
  // N threads are N workers, and this thread only hands out units and adds up what comes back: a
  // unit read here runs synchronously for tens of milliseconds, during which a worker that finished
  // would wait for its next unit (measured: the worker idled 84% of a 2-thread run).
  const pool = jobs > 1 ? new WorkerPool<SummaryUnitTask[], SummaryUnitResult[]>(workerModule, jobs, { youngGenerationMb }) : undefined;
  const summarize = pool == null ? summarizeUnits : (tasks: SummaryUnitTask[]) => pool.run(tasks);
  const sources = [...(selection.sources ?? new Set(selection.readers.flatMap((reader) => reader.sources)))];
  let next = 0;
  let remainingBytes = inputBytes;
  /**
   * The next units to hand over, still largest first: on this thread one; to a worker, a share of
   * what is left (guided: large batches first, small ones at the end to even out the threads).
   */
  const takeBatch = (): number[] | undefined => {
    if (next >= order.length) return undefined;
    const target = pool == null ? 0 : Math.max(minBatchBytes, remainingBytes / (batchesPerShare * jobs));
    const batch: number[] = [];
    let bytes = 0;
    while (next < order.length && (batch.length === 0 || bytes < target)) {
      const index = order[next++]!;
      batch.push(index);
      bytes += unitBytes(units[index]!.files);
    }
    remainingBytes -= bytes;
    return batch;
  };
  /** Takes batches off the shared list until none is left. */
  const lane = async (): Promise<void> => {
    for (let batch = takeBatch(); batch != null; batch = takeBatch()) {
      const tasks = batch.map((index) => ({ reader: units[index]!.reader.name, files: units[index]!.files, sources }));
      // A batch whose worker failed (a bug, never bad input): a warning per file, and the other batches are still summarised.
      const results = await summarize(tasks).catch((error: unknown) => tasks.map((task) => ({ ...failedUnitRead(task.files, error), summaries: [] })));
      for (const [position, index] of batch.entries()) {
        const { summaries: unitSummaries, ...bookkeeping } = results[position]!;
        tally.addUnit(bookkeeping, { count: unitSummaries.length, warnings: unitSummaries.reduce((total, summary) => total + summary.warnings, 0) });
        perUnit[index] = unitSummaries;
        progress.advance(unitBytes(units[index]!.files));
      }
    }
  };
  try {
    progress.start('reading', discovered.files.length, inputBytes);
    // Two batches queued per worker: the next one is handed over as soon as one comes back.
    await Promise.all(Array.from({ length: pool == null ? 1 : 2 * jobs }, lane));
  } finally {
    progress.stop();
    await pool?.close();
  }
  const collected = tally.finish();
  // A stable sort: sessions of one id (the same transcript under two roots) keep discovery order, as whole Sessions do.
  const summaries = perUnit.flat().sort((left, right) => left.source.localeCompare(right.source) || left.id.localeCompare(right.id));
  return { summaries, files: collected.inputs.length, skippedFiles: collected.skippedFiles, fileWarnings: collected.fileWarnings };
}

/**
 * A worker's young generation: parsing lines makes much garbage that dies young, and V8's default
 * collects it too often (measured on the stats bench corpus with `--jobs 1` and node's
 * `--max-semi-space-size` 16 and 64: the collector's share of the thread went from 14–19% to 10%).
 */
const youngGenerationMb = 96;

/** A worker's batch is 1/batchesPerShare of a thread's share of what is left: few hand-overs, threads that finish together. */
const batchesPerShare = 4;
/** The smallest batch handed to a worker: below this, a hand-over costs more than it evens out. */
const minBatchBytes = 1024 * 1024;
