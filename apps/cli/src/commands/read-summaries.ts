import { WorkerPool } from '@forge/reader-kit';
import { type SessionSummary, type SessionWarning } from '@forge/schema';
import { CollectionTally, discoverInputs, failedUnitRead, planReadUnits } from '@forge/state';
import { type CliIo } from '../cli-io.js';
import { createProgress } from '../render/progress.js';
import { defaultJobs } from '../run/default-jobs.js';
import { type StatsOptions } from './command-options.js';
import { sourceSelection } from './load-sessions.js';
import { summarizeUnit, type SummaryUnitResult, type SummaryUnitTask } from './summarize-unit.js';

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
  const pool = jobs > 1 ? new WorkerPool<SummaryUnitTask, SummaryUnitResult>(workerModule, jobs) : undefined;
  const summarize = pool == null ? summarizeUnit : (task: SummaryUnitTask) => pool.run(task);
  const sources = [...(selection.sources ?? new Set(selection.readers.flatMap((reader) => reader.sources)))];
  let next = 0;
  /** Takes units off the shared list until none is left. */
  const lane = async (): Promise<void> => {
    for (let index = order[next++]; index != null; index = order[next++]) {
      const unit = units[index]!;
      // A unit whose worker failed (a bug, never bad input): a warning per file, and the others are still summarised.
      const { summaries: unitSummaries, ...bookkeeping } = await summarize({ reader: unit.reader.name, files: unit.files, sources }).catch((error: unknown) => ({ ...failedUnitRead(unit.files, error), summaries: [] }));
      tally.addUnit(bookkeeping, { count: unitSummaries.length, warnings: unitSummaries.reduce((total, summary) => total + summary.warnings, 0) });
      perUnit[index] = unitSummaries;
      progress.advance(unitBytes(unit.files));
    }
  };
  try {
    progress.start('reading', discovered.files.length, inputBytes);
    // Two units queued per worker: the next one is handed over as soon as one comes back.
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
