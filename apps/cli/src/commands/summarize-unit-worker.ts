import { summarizeUnits, type SummaryUnitResult, type SummaryUnitTask } from './summarize-unit.js';

/** Runs in a `forge stats` pool worker (`WorkerPool`): a batch of units read and summarised ({@link summarizeUnits}). */
export default function summarizeUnitsInWorker(tasks: SummaryUnitTask[]): Promise<SummaryUnitResult[]> {
  return summarizeUnits(tasks);
}
