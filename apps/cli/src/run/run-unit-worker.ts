import { type Outcomes } from '@forge/schema';
import { FileReadCache } from '@forge/state';
import { createUnitContext, handleUnit, type UnitBuildOptions, type UnitContext, type UnitResult, type UnitTask } from './run-unit.js';
import { type ScoringOutcomes } from './score-sessions.js';
import { scoreViewSpill, type ScoredViews } from './view-spill.js';

/** A unit for a worker, with what the worker sets itself up with on its first task (one run per pool). */
export interface WorkerUnitTask extends UnitTask {
  kind: 'unit';
  build: UnitBuildOptions;
  /** The run's state database: the worker reads and writes the file cache through its own connection. */
  stateDatabase?: string;
  /** Where the worker spills its scoring views (its own file), when scoring. */
  spillDirectory?: string;
  /** Where the worker spills its rows (its own file), for the merging thread to read in place. */
  rowDirectory?: string;
}

/** A spill file to score, once the units are done and the outcomes read. */
export interface WorkerScoreTask {
  kind: 'score';
  file: string;
  /**
   * The outcomes as JSON: a big town's (50,000 commits, 10,000 beads: 45 MB) crosses as one string
   * several times faster than as a structured clone of its objects, and is made once for every worker.
   */
  outcomes: string;
  scoring: Omit<ScoringOutcomes, 'outcomes' | 'warnings'>;
}

export type WorkerTask = WorkerUnitTask | WorkerScoreTask;

let context: Promise<UnitContext> | undefined;

async function setUp(task: WorkerUnitTask): Promise<UnitContext> {
  return createUnitContext({
    build: task.build,
    ...(task.stateDatabase == null ? {} : { cache: FileReadCache.openShared(task.stateDatabase) }),
    ...(task.rowDirectory == null ? {} : { rowDirectory: task.rowDirectory }),
    ...(task.spillDirectory == null ? {} : { spillDirectory: task.spillDirectory }),
  });
}

/**
 * Runs in a `forge run` pool worker (`WorkerPool`): one unit's whole per-session path
 * ({@link handleUnit}), or, after the last unit, scoring one spill of views ({@link scoreViewSpill}).
 */
export default async function handleInWorker(task: WorkerTask): Promise<UnitResult | ScoredViews> {
  if (task.kind === 'score') return scoreViewSpill(task.file, { ...task.scoring, outcomes: JSON.parse(task.outcomes) as Outcomes, warnings: [] });
  context ??= setUp(task);
  return handleUnit(task, await context);
}
