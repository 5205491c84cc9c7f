import { setImmediate as yieldToEvents } from 'node:timers/promises';
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
 * `jobs` threads (default: the available cores; 1 for inputs under 16 MB): this thread reads, and
 * with N > 1 so do N - 1 worker threads, which hand back only summaries. The same output for every `jobs`.
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
  // N threads are this one and N - 1 workers: this thread reads from the start, while the workers
  // start (~0.45 s each on the stats bench machine), and no core waits on a thread that only hands
  // out units. Each worker holds its next batch while it reads one (`tasksPerThread`), so it never
  // waits for this thread to finish a unit of its own before it gets more.
  const pool = jobs > 1 ? new WorkerPool<SummaryUnitTask[], SummaryUnitResult[]>(workerModule, jobs - 1, { tasksPerThread: batchesInFlight }) : undefined;
  const sources = [...(selection.sources ?? new Set(selection.readers.flatMap((reader) => reader.sources)))];
  let next = 0;
  let remainingBytes = inputBytes;
  /**
   * The next units to hand over, still largest first: on this thread one; to a worker, a share of
   * what is left (guided: large batches first, small ones at the end to even out the threads).
   */
  const takeBatch = (toWorker: boolean): number[] | undefined => {
    if (next >= order.length) return undefined;
    const target = toWorker ? Math.max(minBatchBytes, remainingBytes / (batchesPerShare * jobs)) : 0;
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
  /** Takes batches off the shared list until none is left, and summarises them here or in a worker. */
  const lane = async (summarize: (tasks: SummaryUnitTask[]) => Promise<SummaryUnitResult[]>, toWorker: boolean): Promise<void> => {
    for (let batch = takeBatch(toWorker); batch != null; batch = takeBatch(toWorker)) {
      const tasks = batch.map((index) => ({ reader: units[index]!.reader.name, files: units[index]!.files, sources }));
      // A batch whose worker failed (a bug, never bad input): a warning per file, and the other batches are still summarised.
      const results = await summarize(tasks).catch((error: unknown) => tasks.map((task) => ({ ...failedUnitRead(task.files, error), summaries: [] })));
      for (const [position, index] of batch.entries()) {
        const { summaries: unitSummaries, ...bookkeeping } = results[position]!;
        tally.addUnit(bookkeeping, { count: unitSummaries.length, warnings: unitSummaries.reduce((total, summary) => total + summary.warnings, 0) });
        perUnit[index] = unitSummaries;
        progress.advance(unitBytes(units[index]!.files));
      }
      // A unit read here runs without a macrotask in between: let the workers' results in and their next batches out.
      if (!toWorker && pool != null) await yieldToEvents();
    }
  };
  try {
    progress.start('reading', discovered.files.length, inputBytes);
    // The workers' lanes first, so their first batches are on their way before this thread starts reading.
    const workerLanes = pool == null ? [] : Array.from({ length: batchesInFlight * pool.threads }, () => lane((tasks) => pool.run(tasks), true));
    await Promise.all([...workerLanes, lane(summarizeUnits, false)]);
  } finally {
    progress.stop();
    await pool?.close();
  }
  const collected = tally.finish();
  // A stable sort: sessions of one id (the same transcript under two roots) keep discovery order, as whole Sessions do.
  const summaries = perUnit.flat().sort((left, right) => left.source.localeCompare(right.source) || left.id.localeCompare(right.id));
  return { summaries, files: collected.inputs.length, skippedFiles: collected.skippedFiles, fileWarnings: collected.fileWarnings };
}

/** Batches a worker holds at a time: the one it reads and the next. */
const batchesInFlight = 2;
/** A worker's batch is 1/batchesPerShare of a thread's share of what is left: few hand-overs, threads that finish together. */
const batchesPerShare = 4;
/** The smallest batch handed to a worker: below this, a hand-over costs more than it evens out. */
const minBatchBytes = 1024 * 1024;
