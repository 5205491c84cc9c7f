import { summarizeUnit, type SummaryUnitResult, type SummaryUnitTask } from './summarize-unit.js';

/** Runs in a `forge stats` pool worker (`WorkerPool`): one unit read and summarised ({@link summarizeUnit}). */
export default function summarizeUnitInWorker(task: SummaryUnitTask): Promise<SummaryUnitResult> {
  return summarizeUnit(task);
}
