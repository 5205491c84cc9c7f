import { WorkerPool } from '@forge/reader-kit';
import { type ReadUnit, type ReadUnitOptions } from '@forge/state';
import { createUnitProcessor, handleUnit, type UnitBuildOptions, type UnitResult, type UnitTask } from './run-unit.js';
import { type WorkerUnitTask } from './run-unit-worker.js';

/** Options of {@link handleUnits}. */
export interface HandleUnitsOptions extends Omit<UnitTask, 'reader' | 'files'> {
  /** Threads: 1 handles every unit on this thread; N > 1 starts N worker threads (this one merges). */
  jobs: number;
  build: UnitBuildOptions;
  /** The run's state database (workers open their own connection), and this thread's cache for `jobs: 1`. */
  stateDatabase?: string;
  cache?: ReadUnitOptions['cache'];
}

/** The worker module: the built sibling, or the TypeScript source when running from sources. */
const workerModule = new URL(import.meta.url.endsWith('.ts') ? './run-unit-worker.ts' : './run-unit-worker.js', import.meta.url).href;

/**
 * Handles every unit ({@link handleUnit}) on `jobs` threads and yields the results in unit order,
 * whatever order they finish in, so what is merged (and written) is the same for every `jobs`. At
 * most two units per thread are in flight: the results waiting for an earlier one stay few. A unit
 * whose worker fails (a bug, never bad input) gives a warning per file, and the run goes on.
 */
export async function* handleUnits(units: readonly ReadUnit[], options: HandleUnitsOptions): AsyncGenerator<{ unit: ReadUnit; result: UnitResult }> {
  const { jobs: _jobs, build, stateDatabase, cache, ...task } = options;
  // More threads than units would only start idle threads.
  const jobs = Math.max(1, Math.min(options.jobs, units.length));
  const pool = jobs > 1 ? new WorkerPool<WorkerUnitTask, UnitResult>(workerModule, jobs) : undefined;
  const processor = pool == null ? await createUnitProcessor(build) : undefined;
  const handle = async (unit: ReadUnit): Promise<UnitResult> => {
    const unitTask: UnitTask = { ...task, reader: unit.reader.name, files: unit.files };
    try {
      if (pool != null) return await pool.run({ ...unitTask, build, ...(stateDatabase == null ? {} : { stateDatabase }) });
      return await handleUnit(unitTask, { processor: processor!, ...(cache == null ? {} : { cache }) });
    } catch (error) {
      return failedUnit(unit, error);
    }
  };
  const inFlight: Promise<UnitResult>[] = [];
  let next = 0;
  try {
    for (const unit of units) {
      while (next < units.length && inFlight.length < 2 * jobs) inFlight.push(handle(units[next++]!));
      yield { unit, result: await inFlight.shift()! };
    }
  } finally {
    await Promise.allSettled(inFlight);
    await pool?.close();
  }
}

/** A unit whose handling threw: each of its files is left out with a warning saying why. */
function failedUnit(unit: ReadUnit, error: unknown): UnitResult {
  const message = `cannot read file: ${error instanceof Error ? error.message : String(error)}`;
  return {
    sessions: [],
    sessionWarnings: 0,
    inputs: [],
    filesRead: 0,
    fileWarnings: unit.files.map((file) => ({ file: file.path, kind: 'unreadable-file' as const, message })),
    skippedFiles: unit.files.map((file) => ({ path: file.path, reason: message })),
  };
}
