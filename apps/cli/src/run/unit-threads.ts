import { WorkerPool } from '@forge/reader-kit';
import { failedUnitRead, type ReadUnit, type ReadUnitOptions } from '@forge/state';
import { isOutOfSpace } from '../out-of-space.js';
import { createUnitContext, handleUnit, type UnitBuildOptions, type UnitContext, type UnitResult, type UnitTask } from './run-unit.js';
import { type WorkerTask, type WorkerUnitTask } from './run-unit-worker.js';
import { type ScoringOutcomes } from './score-sessions.js';
import { type RunUnitCache } from './unit-cache.js';
import { scoreViewSpill, ViewSpill, type ScoredViews } from './view-spill.js';

/** Options of {@link UnitThreads}. */
export interface UnitThreadsOptions {
  /** Threads: 1 handles every unit on this thread; N > 1 starts N worker threads (this one merges). */
  jobs: number;
  build: UnitBuildOptions;
  /** The run's state database (workers open their own connection), and this thread's cache for `jobs: 1`. */
  stateDatabase?: string;
  cache?: ReadUnitOptions['cache'];
  /** When scoring: the folder where each thread spills its scoring views (`ViewSpill.forThread`). */
  spillDirectory?: string;
  /** The folder where each thread spills its rows (`createThreadRowSpill`), for the merge to read in place; none: rows cross as strings. */
  rowDirectory?: string;
}

/** The worker module: the built sibling, or the TypeScript source when running from sources. */
const workerModule = new URL(import.meta.url.endsWith('.ts') ? './run-unit-worker.ts' : './run-unit-worker.js', import.meta.url).href;

/**
 * The threads of one `forge run`: they handle every unit ({@link handleUnit}), each spilling the
 * scoring views of the sessions it read, and, once the outcomes are read, score their spills
 * (link, read commit diffs, score), so scoring shrinks with threads like the rest of the work.
 * With one job this thread does both, through the same functions. `close()` ends the threads.
 */
export class UnitThreads {
  readonly #jobs: number;
  readonly #build: UnitBuildOptions;
  readonly #stateDatabase: string | undefined;
  readonly #spillDirectory: string | undefined;
  readonly #rowDirectory: string | undefined;
  readonly #pool: WorkerPool<WorkerTask, UnitResult | ScoredViews> | undefined;
  readonly #context: UnitContext | undefined;
  #closed = false;

  private constructor(options: UnitThreadsOptions, jobs: number, context: UnitContext | undefined) {
    this.#jobs = jobs;
    this.#build = options.build;
    this.#stateDatabase = options.stateDatabase;
    this.#spillDirectory = options.spillDirectory;
    this.#rowDirectory = options.rowDirectory;
    this.#pool = jobs > 1 ? new WorkerPool<WorkerTask, UnitResult | ScoredViews>(workerModule, jobs) : undefined;
    this.#context = context;
    this.views = options.spillDirectory == null ? undefined : (context?.views ?? ViewSpill.forThread(options.spillDirectory));
  }

  /** This thread's view spill (its units with `jobs: 1`, and the files it streams itself), when scoring. */
  readonly views: ViewSpill | undefined;

  /** Threads for `units` units: more threads than units would only start idle threads. */
  static async open(units: number, options: UnitThreadsOptions): Promise<UnitThreads> {
    const jobs = Math.max(1, Math.min(options.jobs, units));
    if (jobs > 1) return new UnitThreads(options, jobs, undefined);
    const context = await createUnitContext({
      build: options.build,
      ...(options.cache == null ? {} : { cache: options.cache }),
      ...(options.rowDirectory == null ? {} : { rowDirectory: options.rowDirectory }),
      ...(options.spillDirectory == null ? {} : { spillDirectory: options.spillDirectory }),
    });
    return new UnitThreads(options, jobs, context);
  }

  /**
   * Handles every unit and yields the results in unit order, whatever order they finish in, so
   * what is merged (and written) is the same for every `jobs`. At most two units per thread are in
   * flight: the results waiting for an earlier one stay few. A unit whose worker fails (a bug,
   * never bad input) gives a warning per file, and the run goes on; a write that finds no room
   * ({@link isOutOfSpace}) ends the run. With `cache`, an unchanged unit
   * is served from it here (unless `task.reuseCache` is false), and every unit handled is kept there.
   */
  async *handle(units: readonly ReadUnit[], task: Omit<UnitTask, 'reader' | 'files' | 'keep' | 'fileCache'>, cache?: RunUnitCache): AsyncGenerator<{ unit: ReadUnit; result: UnitResult }> {
    const handle = async (unit: ReadUnit): Promise<UnitResult> => {
      const served = cache == null || !task.reuseCache ? undefined : cache.serve(unit);
      if (served?.kind === 'hit') return served.result;
      // A changed project is read through the per-file cache: its next change re-reads only the file changed.
      const unitTask: UnitTask = { ...task, reader: unit.reader.name, files: unit.files, keep: cache != null, fileCache: served?.kind === 'changed' && unit.files.length > 1 };
      const result = await this.#handleUnit(unit, unitTask);
      cache?.keep(unit, result);
      return result;
    };
    const inFlight: Promise<UnitResult>[] = [];
    let next = 0;
    try {
      for (const unit of units) {
        while (next < units.length && inFlight.length < 2 * this.#jobs) {
          const handling = handle(units[next++]!);
          // A later unit may fail (a full disk) while an earlier one is awaited: it is rethrown in turn, never left unhandled.
          handling.catch(() => undefined);
          inFlight.push(handling);
        }
        yield { unit, result: await inFlight.shift()! };
      }
    } finally {
      await Promise.allSettled(inFlight);
    }
  }

  /** One unit handled where it runs (this thread, or a worker); a failing worker's unit becomes a warning per file. */
  async #handleUnit(unit: ReadUnit, unitTask: UnitTask): Promise<UnitResult> {
    try {
      if (this.#pool == null) return await handleUnit(unitTask, this.#context!);
      const workerTask: WorkerUnitTask = {
        ...unitTask,
        kind: 'unit',
        build: this.#build,
        ...(this.#stateDatabase == null ? {} : { stateDatabase: this.#stateDatabase }),
        ...(this.#spillDirectory == null ? {} : { spillDirectory: this.#spillDirectory }),
        ...(this.#rowDirectory == null ? {} : { rowDirectory: this.#rowDirectory }),
      };
      return (await this.#pool.run(workerTask)) as UnitResult;
    } catch (error) {
      // A full disk is not the unit's fault: its spills are cut short, so the run stops (see main.ts).
      if (isOutOfSpace(error)) throw error;
      return { ...failedUnitRead(unit.files, error), sessions: [], sessionWarnings: 0 };
    }
  }

  /** Scores each spill file against the outcomes read, one file per thread at a time (the files a run's threads wrote). */
  async scoreViews(files: readonly string[], outcomes: ScoringOutcomes): Promise<Map<string, ScoredViews>> {
    const scored = new Map<string, ScoredViews>();
    if (this.#pool == null) {
      for (const file of files) scored.set(file, await scoreViewSpill(file, outcomes));
      return scored;
    }
    // Each worker gets the outcomes with its file and indexes them itself.
    const pool = this.#pool;
    const { outcomes: read, warnings: _read, ...scoring } = outcomes;
    const text = JSON.stringify(read);
    const results = await Promise.all(files.map(async (file) => (await pool.run({ kind: 'score', file, outcomes: text, scoring })) as ScoredViews));
    files.forEach((file, position) => scored.set(file, results[position]!));
    return scored;
  }

  /** Ends the worker threads (again: nothing). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool?.close();
  }
}
