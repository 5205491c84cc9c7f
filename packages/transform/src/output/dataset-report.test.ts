import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DatasetManifest } from '@forge/schema';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatasetBuilder } from '../dataset-builder.js';
import { loadSessionFixture } from '../test-support/fixtures.js';
import { demoHome, readHome } from '../test-support/ordinary-sessions.js';
import { datasetReportHtml } from './dataset-report.js';
import { summarizeManifest } from './dataset-summary.js';
import { writeDataset } from './write-dataset.js';

/** Debian's chromium (CI installs it: .ci/run). */
const chromiumPath = '/usr/bin/chromium';
/** Where the screenshot is kept for a person to look at (git-ignored). */
const artefacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
const work = mkdtempSync(join(tmpdir(), 'forge-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function demoManifest(): Promise<DatasetManifest> {
  const builder = await createDatasetBuilder({ validationRatio: 0.2, redaction: { homeDirectory: '/home/alice', userName: 'alice' } });
  for (const session of [...(await readHome(demoHome)), loadSessionFixture('planted-secrets.session.json'), loadSessionFixture('claude-fix-test.session.json')]) await builder.addSession(session);
  const dataset = builder.finish();
  try {
    return await writeDataset(join(work, 'dataset'), dataset, { forgeVersion: '0.0.0-test', options: {}, inputs: [], skippedFiles: [{ path: '~/.claude/projects/x/broken.jsonl', reason: 'no session in the file' }], warnings: 1 });
  } finally {
    dataset.close();
  }
}

const chromiumMissing = !existsSync(chromiumPath);
if (chromiumMissing) console.warn(`SKIPPED report.html browser test: ${chromiumPath} is missing and could not be installed (apt-get install chromium; .ci/run does this where apt can run)`);

describe.skipIf(chromiumMissing)('report.html in headless Chromium', () => {
  it('should draw every plot with no console error and no request', async () => {
    // The scoring block a scored forge run adds to the manifest (optional): drawn when present.
    const buckets = Array.from({ length: 10 }, (_, index) => ({ from: index / 10, to: (index + 1) / 10, count: [0, 1, 0, 2, 1, 0, 3, 2, 1, 1][index]! }));
    const scoring = { sessions: 11, scoreDistribution: { buckets, mean: 0.6, p50: 0.65, min: 0.1, max: 0.95 }, outcomeKnown: 8, outcomeUnknown: 3, beadOutcomes: { closed: 5, reopened: 1 }, linkageEvidence: {}, verdicts: { good: 2 }, minScore: null, warnings: [] };
    const manifest = { ...(await demoManifest()), scoring } as DatasetManifest;
    const summary = summarizeManifest(manifest);
    for (const id of ['sessions-by-source', 'sessions-by-role', 'sessions-by-model', 'tokens-per-row', 'redactions-by-kind', 'skipped-by-reason', 'score-distribution', 'outcomes', 'bead-outcomes', 'verdicts']) {
      expect(summary.charts.find((chart) => chart.id === id)?.entries.length, id).toBeGreaterThan(0);
    }
    const page = join(work, 'report.html');
    writeFileSync(page, datasetReportHtml(manifest));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    try {
      const tab = await browser.newPage({ viewport: { width: 900, height: 800 } });
      const problems: string[] = [];
      tab.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
      });
      tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      tab.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
      });
      await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
      const drawn = await tab.$$eval('svg.plot', (plots) =>
        plots.map((plot) => {
          const box = plot.getBoundingClientRect();
          const bars = [...plot.querySelectorAll('rect')].map((rect) => rect.getBoundingClientRect());
          return { id: plot.getAttribute('data-plot'), width: box.width, height: box.height, bars: bars.length, barWidths: bars.map((bar) => bar.width) };
        }),
      );
      expect(drawn.map((plot) => plot.id)).toEqual(summary.charts.map((chart) => chart.id));
      for (const plot of drawn) {
        const chart = summary.charts.find((candidate) => candidate.id === plot.id)!;
        expect(plot.width, plot.id).toBeGreaterThan(0);
        expect(plot.height, plot.id).toBeGreaterThan(0);
        expect(plot.bars, plot.id).toBe(Math.min(chart.entries.length, 26));
        for (const width of plot.barWidths) expect(width, plot.id).toBeGreaterThan(0);
      }
      mkdirSync(artefacts, { recursive: true });
      await tab.screenshot({ path: join(artefacts, 'report.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('report.html', () => {
  it('should escape what the manifest says and fetch nothing', async () => {
    const manifest = await demoManifest();
    const html = datasetReportHtml({ ...manifest, counts: { ...manifest.counts, sessionsByModel: { '<img src=x onerror=alert(1)>': 1 } } });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/\b(?:src|href)=["']?(?:https?:)?\/\//u);
    expect(html).toContain(`default-src 'none'`);
  });
});
