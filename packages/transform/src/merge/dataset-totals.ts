import { type DatasetManifest } from '@forge/schema';
import { compareStrings } from '../conversation/infer-tool-definitions.js';
import { type FormatNoteFacts } from '../formats/dataset-format.js';
import { type KeptSession } from './dataset-merger.js';

/** The manifest's statistics over the kept sessions. */
export interface DatasetTotals {
  counts: DatasetManifest['counts'];
  tokens: Omit<DatasetManifest['tokens'], 'counter'>;
  redactions: Record<string, number>;
  noteFacts: FormatNoteFacts;
}

function increment(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function sortedRecord(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([left], [right]) => compareStrings(left, right)));
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

/**
 * Counts by source, role, model and message role, rows per format and split, token statistics per
 * window, redactions, over one pass of `kept`. `isNested` names the sessions whose row lives inside another's in a format.
 */
export function summarizeKeptSessions(kept: Iterable<KeptSession>, formats: readonly string[], isNested: (format: string, key: string) => boolean = () => false): DatasetTotals {
  const rowsByFormat = Object.fromEntries(formats.map((format) => [format, { train: 0, validation: 0 }]));
  const sessionsBySource: Record<string, number> = {};
  const sessionsByRole: Record<string, number> = {};
  const sessionsByModel: Record<string, number> = {};
  const messagesByRole: Record<string, number> = {};
  const redactions: Record<string, number> = {};
  const windowTokens: number[] = [];
  const noteFacts: FormatNoteFacts = { hollowReasoningTurns: 0, reasoningTurns: 0, toolDefinitions: { recorded: 0, catalog: 0, inferred: 0 } };
  let sessions = 0;
  for (const session of kept) {
    sessions += 1;
    for (const tokens of session.windowTokens) windowTokens.push(tokens);
    for (const format of formats) if (!isNested(format, session.key)) rowsByFormat[format]![session.split] += session.rows[format]?.length ?? 0;
    increment(sessionsBySource, session.labels.source);
    increment(sessionsByRole, session.labels.role);
    for (const model of session.facts.models) increment(sessionsByModel, model);
    for (const [role, count] of Object.entries(session.facts.messagesByRole)) increment(messagesByRole, role, count);
    for (const [rule, count] of Object.entries(session.facts.redactions)) increment(redactions, rule, count);
    noteFacts.hollowReasoningTurns += session.facts.hollowReasoningTurns;
    noteFacts.reasoningTurns += session.facts.reasoningTurns;
    for (const origin of ['recorded', 'catalog', 'inferred'] as const) noteFacts.toolDefinitions[origin] += session.facts.toolDefinitions[origin];
  }
  windowTokens.sort((left, right) => left - right);
  const histogram: Array<{ upTo: number; rows: number }> = [];
  for (const tokens of windowTokens) {
    while (histogram.length === 0 || tokens > histogram.at(-1)!.upTo) histogram.push({ upTo: 128 * 2 ** histogram.length, rows: 0 });
    histogram.at(-1)!.rows += 1;
  }
  const total = windowTokens.reduce((sum, tokens) => sum + tokens, 0);
  return {
    counts: {
      sessions,
      sessionsBySource: sortedRecord(sessionsBySource),
      sessionsByRole: sortedRecord(sessionsByRole),
      sessionsByModel: sortedRecord(sessionsByModel),
      messagesByRole: sortedRecord(messagesByRole),
      rowsByFormat,
    },
    tokens: {
      total,
      mean: windowTokens.length === 0 ? 0 : total / windowTokens.length,
      p50: percentile(windowTokens, 0.5),
      p95: percentile(windowTokens, 0.95),
      max: windowTokens.at(-1) ?? 0,
      histogram,
    },
    redactions: sortedRecord(redactions),
    noteFacts,
  };
}
