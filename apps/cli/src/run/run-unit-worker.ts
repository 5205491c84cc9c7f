import { FileReadCache } from '@forge/state';
import { createUnitProcessor, handleUnit, type UnitBuildOptions, type UnitContext, type UnitResult, type UnitTask } from './run-unit.js';

/** A unit for a worker, with what the worker sets itself up with on its first task (one run per pool). */
export interface WorkerUnitTask extends UnitTask {
  build: UnitBuildOptions;
  /** The run's state database: the worker reads and writes the file cache through its own connection. */
  stateDatabase?: string;
}

let context: Promise<UnitContext> | undefined;

async function setUp(task: WorkerUnitTask): Promise<UnitContext> {
  return { processor: await createUnitProcessor(task.build), ...(task.stateDatabase == null ? {} : { cache: FileReadCache.openShared(task.stateDatabase) }) };
}

/** Runs in a `forge run` pool worker (`WorkerPool`): one unit's whole per-session path ({@link handleUnit}). */
export default async function handleUnitInWorker(task: WorkerUnitTask): Promise<UnitResult> {
  context ??= setUp(task);
  return handleUnit(task, await context);
}
