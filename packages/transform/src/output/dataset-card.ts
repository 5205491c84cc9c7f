import { type DatasetManifest } from '@forge/schema';
import { summarizeManifest, type SummaryCounts } from './dataset-summary.js';

/** A format's files per split as the Hub's `data_files` takes them: its Parquet shards when written, else its JSONL. */
export function formatDataFiles(files: readonly string[]): { train: string; validation: string } {
  const shards = (split: string) => files.filter((file) => new RegExp(`(^|/)${split}-\\d{5}-of-\\d{5}\\.parquet$`, 'u').test(file));
  const pick = (split: string, jsonl: string | undefined) => {
    const parquet = shards(split);
    return parquet.length > 0 ? `${parquet[0]!.slice(0, parquet[0]!.lastIndexOf('/') + 1)}${split}-*.parquet` : (jsonl ?? '');
  };
  return { train: pick('train', files[0]), validation: pick('validation', files[1]) };
}

function table(chart: SummaryCounts, limit = 20): string[] {
  if (chart.entries.length === 0) return [`### ${chart.title}`, '', 'none', ''];
  const shown = chart.entries.slice(0, limit);
  const rest = chart.entries.slice(limit).reduce((sum, entry) => sum + entry.count, 0);
  const escape = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [
    `### ${chart.title}`,
    '',
    `| ${chart.id.startsWith('tokens') ? 'tokens' : 'value'} | ${chart.unit} |`,
    '|---|---:|',
    ...shown.map((entry) => `| ${escape(entry.label)} | ${entry.count} |`),
    ...(rest > 0 ? [`| ${chart.entries.length - limit} more | ${rest} |`] : []),
    '',
  ];
}

/**
 * The dataset card (`README.md`) of a dataset folder, from its manifest: YAML `configs` with one
 * config per format whose `data_files` name the train and validation files (Parquet shards when
 * written), so `load_dataset(folder, name)` finds every format and split; then a summary.
 */
export function datasetCard(manifest: DatasetManifest): string {
  const summary = summarizeManifest(manifest);
  const yaml = [
    '---',
    'pretty_name: forge dataset',
    'tags:',
    '  - forge',
    '  - agent-sessions',
    '  - tool-use',
    'configs:',
    ...manifest.formats.flatMap(({ format, files }, index) => {
      const dataFiles = formatDataFiles(files);
      return [
        `  - config_name: ${format}`,
        ...(index === 0 ? ['    default: true'] : []),
        '    data_files:',
        '      - split: train',
        `        path: ${JSON.stringify(dataFiles.train)}`,
        '      - split: validation',
        `        path: ${JSON.stringify(dataFiles.validation)}`,
      ];
    }),
    '---',
  ];
  const rows = Object.entries(summary.rowsByFormat).map(([format, count]) => `| ${format} | ${count.train} | ${count.validation} |`);
  const { tokens } = summary;
  const body = [
    '',
    '# forge dataset',
    '',
    `Made by forge ${manifest.forgeVersion} from ${summary.sessions} coding-agent sessions (${manifest.inputs.length} input files), redacted, deduplicated and split. \`manifest.json\` has every count, option and skipped item; \`report.html\` draws them.`,
    '',
    '```python',
    'from datasets import load_dataset',
    `rows = load_dataset("path/to/this/folder", ${JSON.stringify(manifest.formats[0]?.format ?? 'sharegpt')})`,
    '```',
    '',
    '## Formats',
    '',
    '| format | train | validation |',
    '|---|---:|---:|',
    ...rows,
    '',
    ...manifest.formats.flatMap(({ format, notes }) => (notes.length === 0 ? [] : [`- **${format}**: ${notes.join('; ')}`])),
    '',
    '## Tokens per row',
    '',
    `${tokens.total} tokens in all (${tokens.counter}); per row mean ${Math.round(tokens.mean)}, median ${tokens.p50}, p95 ${tokens.p95}, max ${tokens.max}.`,
    '',
    '## Summary',
    '',
    ...summary.charts.flatMap((chart) => table(chart)),
    `Warnings while reading: ${manifest.warnings}.`,
    '',
  ];
  return `${[...yaml, ...body].join('\n')}`;
}
