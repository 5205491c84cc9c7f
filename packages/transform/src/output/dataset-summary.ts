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
  /** Sessions by source, role and model; tokens per row; redactions by kind; skipped by reason; scores and outcomes when the manifest has them (`scoring`). */
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

/**
 * The manifest's optional `scoring` block as a scored `forge run` writes it (`ScoreSummary`: score
 * buckets, known and unknown outcomes, bead outcomes per tier, verdicts), read defensively: a
 * manifest without it, or of another shape, gives no chart.
 */
interface ScoringBlock {
  scoreDistribution?: { buckets?: Array<{ from: number; to: number; count: number }> };
  outcomeKnown?: number;
  outcomeUnknown?: number;
  beadOutcomes?: Record<string, number>;
  verdicts?: Record<string, number>;
}

function scoringCharts(scoring: ScoringBlock | undefined): SummaryCounts[] {
  if (scoring == null || typeof scoring !== 'object') return [];
  const charts: SummaryCounts[] = [];
  const buckets = Array.isArray(scoring.scoreDistribution?.buckets) ? scoring.scoreDistribution.buckets : [];
  // In score order, not by count: a distribution.
  if (buckets.length > 0) charts.push({ id: 'score-distribution', title: 'Session scores', unit: 'sessions', entries: buckets.map((bucket) => ({ label: `${bucket.from.toFixed(1)}–${bucket.to.toFixed(1)}`, count: bucket.count })) });
  if (typeof scoring.outcomeKnown === 'number' && typeof scoring.outcomeUnknown === 'number') {
    charts.push({ id: 'outcomes', title: 'Sessions with a known outcome', unit: 'sessions', entries: [{ label: 'known', count: scoring.outcomeKnown }, { label: 'unknown', count: scoring.outcomeUnknown }] });
  }
  if (scoring.beadOutcomes != null && typeof scoring.beadOutcomes === 'object') charts.push({ id: 'bead-outcomes', title: 'Bead outcomes', unit: 'sessions', entries: byCount(scoring.beadOutcomes) });
  if (scoring.verdicts != null && typeof scoring.verdicts === 'object' && Object.keys(scoring.verdicts).length > 0) charts.push({ id: 'verdicts', title: 'Curation verdicts', unit: 'sessions', entries: byCount(scoring.verdicts) });
  return charts;
}

/**
 * The summary of a dataset from its manifest alone (so `forge report DIR` can draw it again):
 * counts by source, role and model, rows per token bucket, redactions by kind, what was skipped by
 * reason, and the score and outcome counts of a scored run (the optional `scoring` block).
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
  charts.push(...scoringCharts((manifest as { scoring?: ScoringBlock }).scoring));
  return { sessions: manifest.counts.sessions, rowsByFormat: manifest.counts.rowsByFormat, tokens: manifest.tokens, charts };
}
