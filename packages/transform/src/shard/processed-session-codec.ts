import { type LateLabels } from '../merge/dataset-merger.js';
import { createMemoryRowStore, type RowStore } from '../row-store.js';
import { type ProcessedSession } from '../session/process-session.js';
import { TransformError } from '../transform-error.js';

/**
 * A processed session as one JSON line, its rows inlined (a row store's references mean nothing
 * on another machine): what a shard run writes (`sessions.jsonl`) so a later merge can decide
 * duplicates, order and split across every shard exactly as one run would. The duplicate
 * signature (exact hash, MinHash band keys) travels with it. `rowStore`: where the rows were put
 * (default: memory, whose references are the rows).
 */
export function encodeProcessedSession(processed: ProcessedSession, rowStore: RowStore = createMemoryRowStore()): string {
  if (processed.status === 'skipped') return JSON.stringify(processed);
  const rows = Object.fromEntries(Object.entries(processed.rows).map(([format, references]) => [format, references.map((reference) => rowStore.get(reference))]));
  return JSON.stringify({ ...processed, rows });
}

/** A line of {@link encodeProcessedSession} back to a processed session, its rows put in `rowStore`. `where` (file:line) names a bad line. */
export function decodeProcessedSession(line: string, rowStore: RowStore, where: string): ProcessedSession {
  type EncodedSession = { status: 'skipped' } | (Omit<Extract<ProcessedSession, { status: 'accepted' }>, 'rows'> & { rows?: Record<string, string[]> });
  let value: EncodedSession;
  try {
    value = JSON.parse(line) as EncodedSession;
  } catch (error) {
    throw new TransformError({ message: `${where}: not a processed session (${(error as Error).message})`, code: 'not-a-dataset', hint: 'pass folders forge run --shard wrote, unchanged' });
  }
  if (value.status === 'skipped') return value as ProcessedSession;
  if (value.status !== 'accepted' || value.rows == null || typeof value.key !== 'string' || value.duplicate == null) {
    throw new TransformError({ message: `${where}: not a processed session`, code: 'not-a-dataset', hint: 'pass folders forge run --shard wrote, unchanged' });
  }
  const rows = Object.fromEntries(Object.entries(value.rows).map(([format, lines]) => [format, lines.map((row) => rowStore.put(row))]));
  return { ...value, rows };
}

/** How a late-labels line starts: no processed session line does (they start with `{"status":`). */
const lateLabelsPrefix = '{"lateLabels":';

/** Late labels of an accepted session (by its key) as one line, beside the processed sessions' lines. */
export function encodeLateLabels(key: string, labels: LateLabels): string {
  return `${lateLabelsPrefix}${JSON.stringify({ key, ...labels })}}`;
}

/** The key and labels of a line of {@link encodeLateLabels}, or undefined for any other line. */
export function decodeLateLabels(line: string, where: string): { key: string; labels: LateLabels } | undefined {
  if (!line.startsWith(lateLabelsPrefix)) return undefined;
  let value: { lateLabels?: { key?: unknown; score?: unknown; beads?: unknown } };
  try {
    value = JSON.parse(line) as typeof value;
  } catch (error) {
    throw new TransformError({ message: `${where}: not a late-labels line (${(error as Error).message})`, code: 'not-a-dataset', hint: 'pass folders forge run --shard wrote, unchanged' });
  }
  const { key, score, beads } = value.lateLabels ?? {};
  if (typeof key !== 'string' || typeof score !== 'number' || (beads != null && !Array.isArray(beads))) {
    throw new TransformError({ message: `${where}: not a late-labels line`, code: 'not-a-dataset', hint: 'pass folders forge run --shard wrote, unchanged' });
  }
  return { key, labels: { score, ...(beads == null ? {} : { beads: beads as string[] }) } };
}
