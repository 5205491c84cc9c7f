import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeParseDatasetManifest, type DatasetManifest } from '@forge/schema';
import { TransformError } from '../transform-error.js';
import { summarizeManifest, type SummaryCounts } from './dataset-summary.js';

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const barHeight = 22;
const labelWidth = 260;
const barWidth = 420;

/** One horizontal bar chart as inline SVG; an empty chart says so in the SVG itself. */
function barChart(chart: SummaryCounts, limit = 25): string {
  const shown = chart.entries.slice(0, limit);
  const rest = chart.entries.slice(limit).reduce((sum, entry) => sum + entry.count, 0);
  const entries = rest > 0 ? [...shown, { label: `${chart.entries.length - limit} more`, count: rest }] : shown;
  const max = Math.max(1, ...entries.map((entry) => entry.count));
  const height = Math.max(1, entries.length) * barHeight + 8;
  const body =
    entries.length === 0
      ? `<text class="empty" x="0" y="16">none</text>`
      : entries
          .map((entry, index) => {
            const y = index * barHeight + 4;
            const width = Math.max(1, Math.round((entry.count / max) * barWidth));
            const label = entry.label.length > 38 ? `${entry.label.slice(0, 37)}…` : entry.label;
            return [
              `<g class="bar"><title>${escapeHtml(`${entry.label}: ${entry.count} ${chart.unit}`)}</title>`,
              `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}</text>`,
              `<rect x="${labelWidth}" y="${y}" width="${width}" height="${barHeight - 6}"></rect>`,
              `<text x="${labelWidth + width + 6}" y="${y + 15}">${entry.count}</text></g>`,
            ].join('');
          })
          .join('\n');
  return [
    `<section class="chart"><h2>${escapeHtml(chart.title)}</h2>`,
    `<svg class="plot" data-plot="${escapeHtml(chart.id)}" data-bars="${entries.length}" role="img" aria-label="${escapeHtml(chart.title)}" width="${labelWidth + barWidth + 80}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 80} ${height}" xmlns="http://www.w3.org/2000/svg">`,
    body,
    '</svg></section>',
  ].join('\n');
}

const style = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 860px; color: #1f2328; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: right; } td:first-child, th:first-child { text-align: left; }
svg.plot text { font-size: 12px; fill: #1f2328; } svg.plot rect { fill: #3b6fd4; } svg.plot text.empty { fill: #6e7781; }
.facts { color: #57606a; }`;

/**
 * `report.html` of a dataset folder: one self-contained page (inline CSS and SVG, no script, no
 * network; its Content-Security-Policy forbids any fetch) drawn from the manifest alone: sessions
 * by source, role and model, tokens per row, redactions by kind, what was skipped and why, and
 * score and outcome counts when the manifest has them.
 */
export function datasetReportHtml(manifest: DatasetManifest): string {
  const summary = summarizeManifest(manifest);
  const { tokens } = summary;
  const rows = Object.entries(summary.rowsByFormat)
    .map(([format, count]) => `<tr><td>${escapeHtml(format)}</td><td>${count.train}</td><td>${count.validation}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>forge dataset report</title>
<style>${style}</style>
</head>
<body>
<h1>forge dataset report</h1>
<p class="facts">forge ${escapeHtml(manifest.forgeVersion)} · ${summary.sessions} sessions from ${manifest.inputs.length} files · ${tokens.total} tokens (${escapeHtml(tokens.counter)}; per row median ${tokens.p50}, p95 ${tokens.p95}, max ${tokens.max}) · ${manifest.skipped.length} skipped · ${manifest.warnings} warnings</p>
<h2>Rows per format</h2>
<table><thead><tr><th>format</th><th>train</th><th>validation</th></tr></thead><tbody>${rows}</tbody></table>
${summary.charts.map((chart) => barChart(chart)).join('\n')}
</body>
</html>
`;
}

/**
 * Draws `report.html` again for a dataset folder from its `manifest.json` (what `forge report DIR`
 * does): written to `out` (default `<folder>/report.html`), whose path is returned. Blocks the
 * manifest schema does not know (the `scoring` block of a scored run) are drawn too.
 */
export async function writeDatasetReport(folder: string, out = join(folder, 'report.html')): Promise<string> {
  const path = join(folder, 'manifest.json');
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const hint = 'pass a folder forge run wrote (the one holding manifest.json)';
  if (text == null) throw new TransformError({ message: `not a dataset folder: ${folder} has no manifest.json`, code: 'not-a-dataset', hint });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TransformError({ message: `${path} is not JSON: ${(error as Error).message}`, code: 'not-a-dataset', location: { file: path }, hint });
  }
  const parsed = safeParseDatasetManifest(raw);
  if (!parsed.success) throw new TransformError({ message: `${path} is not a forge manifest: ${parsed.error.message}`, code: 'not-a-dataset', location: { file: path }, hint });
  await writeFile(out, datasetReportHtml({ ...(raw as object), ...parsed.data }));
  return out;
}
