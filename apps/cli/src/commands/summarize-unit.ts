import { type SourceFile } from '@forge/reader-kit';
import { summarizeSession, type SessionSource, type SessionSummary } from '@forge/schema';
import { failedUnitRead, readUnit, type UnitRead } from '@forge/state';
import { readerNamed } from '../sources/source-registry.js';

/** One unit of `forge stats` (a Claude Code project's files, or one standalone file): plain data, it crosses to a worker. */
export interface SummaryUnitTask {
  /** The reader's name (`SessionSourceReader.name`). */
  reader: string;
  files: SourceFile[];
  sources: SessionSource[];
}

/** What summarising a unit gave: its files' bookkeeping and one summary per session, never the Sessions. */
export interface SummaryUnitResult extends Omit<UnitRead, 'sessions'> {
  summaries: SessionSummary[];
}

/**
 * `forge stats`' work on one unit, where it runs (a worker, or this thread with `--jobs 1`): the
 * unit read as every command reads it (`readUnit`: each file, then a group linked), with
 * `detail: 'summary'` (readers that support it hand out messages without their texts), then each
 * session summarised. No state cache: nothing is recorded.
 */
export async function summarizeUnit(task: SummaryUnitTask): Promise<SummaryUnitResult> {
  const reader = readerNamed(task.reader);
  const { sessions, ...bookkeeping } = await readUnit({ reader, files: task.files }, { readOptions: { detail: 'summary' }, fingerprints: false, sources: new Set(task.sources) });
  return { ...bookkeeping, summaries: sessions.map(summarizeSession) };
}

/**
 * Several units, one after the other: what a `forge stats` worker takes at a time, so the many
 * small units of a real home (a project of a few files) cost one hand-over between threads per
 * batch, not one each (the pool's round trip and bookkeeping per task: ~5% of a worker's time
 * with one unit a task on the stats bench).
 */
export async function summarizeUnits(tasks: readonly SummaryUnitTask[]): Promise<SummaryUnitResult[]> {
  const results: SummaryUnitResult[] = [];
  // A unit whose read threw (a bug, never bad input): a warning per file, and the batch's other units are still summarised.
  for (const task of tasks) results.push(await summarizeUnit(task).catch((error: unknown) => ({ ...failedUnitRead(task.files, error), summaries: [] })));
  return results;
}
