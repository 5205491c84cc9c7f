import { type DatasetManifest } from '@forge/schema';
import { compareStrings } from '../conversation/infer-tool-definitions.js';

/** One chart or table of the summary: labelled counts, largest first (ties by label). */
export interface SummaryCounts {
  /** A stable id (`sessions-by-source`, …). */
  id: string;
  title: string;
  /** What one unit counts (`sessions`, `rows`, `redactions`). */
  unit: string;
  entries: Array<{ label: string; count: number }>;
}

/** What a dataset card and a report show, computed once from the manifest. */
export interface DatasetSummary {
  sessions: number;
  rowsByFormat: DatasetManifest['counts']['rowsByFormat'];
  tokens: DatasetManifest['tokens'];
  /** Sessions by source, role and model; tokens per row; redactions by kind; skipped by reason; scores and outcomes when the manifest has them. */
  charts: SummaryCounts[];
}

function byCount(counts: Record<string, number>): SummaryCounts['entries'] {
  return Object.entries(counts)
    .map(([label, count]) => ({ label, count }))
    .sort((left, right) => right.count - left.count || compareStrings(left.label, right.label));
}

/** A reason without the session it names (`near duplicate of claude-code:abc` → `near duplicate`), so reasons group. */
function reasonKind(item: DatasetManifest['skipped'][number]): string {
  const reason = item.reason.replace(/ of \S+$/u, '').replace(/^([a-z-]+): .*/u, '$1: …');
  return `${item.kind}: ${reason.length > 80 ? `${reason.slice(0, 77)}…` : reason}`;
}

/** Counts at any depth of an optional manifest block (`scores`, `outcomes`): every record of numbers becomes a chart. */
function countRecords(value: unknown, path: string[]): Array<{ path: string[]; counts: Record<string, number> }> {
  if (value == null || typeof value !== 'object' || Array.isArray(value)) return [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([, item]) => typeof item === 'number' && Number.isFinite(item) && item >= 0)) return [{ path, counts: Object.fromEntries(entries) as Record<string, number> }];
  return entries.flatMap(([key, item]) => countRecords(item, [...path, key]));
}

/**
 * The summary of a dataset from its manifest alone (so `forge report DIR` can draw it again):
 * counts by source, role and model, rows per token bucket, redactions by kind, what was skipped by
 * reason, and any score or outcome counts the manifest carries (optional blocks `scores`, `outcomes`).
 */
export function summarizeManifest(manifest: DatasetManifest): DatasetSummary {
  const skipped: Record<string, number> = {};
  for (const item of manifest.skipped) skipped[reasonKind(item)] = (skipped[reasonKind(item)] ?? 0) + 1;
  const histogram = manifest.tokens.histogram ?? [];
  const charts: SummaryCounts[] = [
    { id: 'sessions-by-source', title: 'Sessions by source', unit: 'sessions', entries: byCount(manifest.counts.sessionsBySource) },
    { id: 'sessions-by-role', title: 'Sessions by role', unit: 'sessions', entries: byCount(manifest.counts.sessionsByRole) },
    { id: 'sessions-by-model', title: 'Sessions by model', unit: 'sessions', entries: byCount(manifest.counts.sessionsByModel) },
    {
      id: 'tokens-per-row',
      title: `Tokens per row (${manifest.tokens.counter})`,
      unit: 'rows',
      // In size order, not by count: a distribution.
      entries: histogram.map((bucket, index) => ({ label: `${index === 0 ? 0 : histogram[index - 1]!.upTo + 1}–${bucket.upTo}`, count: bucket.rows })),
    },
    { id: 'redactions-by-kind', title: 'Redactions by kind', unit: 'redactions', entries: byCount(manifest.redactions) },
    { id: 'skipped-by-reason', title: 'Skipped, by reason', unit: 'items', entries: byCount(skipped) },
  ];
  const extra = manifest as Record<string, unknown>;
  for (const block of ['scores', 'outcomes']) {
    for (const { path, counts } of countRecords(extra[block], [block])) {
      charts.push({ id: path.join('-').replace(/[^a-z0-9-]+/giu, '-').toLowerCase(), title: path.join(' › '), unit: 'sessions', entries: block === 'scores' ? Object.entries(counts).map(([label, count]) => ({ label, count })) : byCount(counts) });
    }
  }
  return { sessions: manifest.counts.sessions, rowsByFormat: manifest.counts.rowsByFormat, tokens: manifest.tokens, charts };
}
