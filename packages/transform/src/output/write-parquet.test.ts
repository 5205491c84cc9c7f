import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { type DatasetManifest } from '@forge/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetBuilder } from '../dataset-builder.js';
import { resolveFormats } from '../formats/format-registry.js';
import { ordinaryCorpora } from '../test-support/ordinary-sessions.js';
import { formatDataFiles } from './dataset-card.js';
import { writeDataset } from './write-dataset.js';

const work = mkdtempSync(join(tmpdir(), 'forge-parquet-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Small shards so the corpus spreads over several. */
const shardBytes = 48 * 1024;

async function writeCorpus(folder: string): Promise<DatasetManifest> {
  const builder = await createDatasetBuilder({ formats: ['sharegpt', 'openai', 'messages', 'atif'], validationRatio: 0.2, redaction: { homeDirectory: '/home/alice', userName: 'alice' } });
  for (const session of Object.values(await ordinaryCorpora()).flat()) await builder.addSession(session);
  const dataset = builder.finish();
  try {
    return await writeDataset(folder, dataset, { forgeVersion: '0.0.0-test', options: {}, inputs: [], skippedFiles: [], warnings: 0 }, { parquet: true, parquetShardBytes: shardBytes });
  } finally {
    dataset.close();
  }
}

/** A value with null-valued keys removed: Arrow structs have every field, JSON rows leave unused ones out. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value != null && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, item]) => item != null).map(([key, item]) => [key, withoutNulls(item)]));
  return value;
}

let manifest: DatasetManifest;
const first = join(work, 'first');
beforeAll(async () => {
  manifest = await writeCorpus(first);
}, 120_000);

describe('writeDataset with parquet', () => {
  it('should write zstd shards whose rows, read back with DuckDB, are the JSONL rows', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const format of resolveFormats()) {
        const entry = manifest.formats.find((candidate) => candidate.format === format.name)!;
        for (const [split, jsonl] of [['train', `${format.name}/train.jsonl`], ['validation', `${format.name}/val.jsonl`]] as const) {
          const shards = entry.files.filter((file) => file.startsWith(`${format.name}/${split}-`) && file.endsWith('.parquet'));
          expect(shards.length, `${format.name} ${split}`).toBeGreaterThan(0);
          expect(shards.every((shard, index) => shard === `${format.name}/${split}-${String(index).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.parquet`)).toBe(true);
          const parquetRows: unknown[] = [];
          const codecNames = new Set<string>();
          for (const shard of shards) {
            const path = join(first, shard);
            // One schema per format: the declared column types, in every shard.
            const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
            expect(Object.fromEntries(described.getRowObjects().map((row) => [String(row.column_name), String(row.column_type)]))).toEqual(format.parquetColumns);
            const codecs = await connection.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
            for (const row of codecs.getRowObjects()) codecNames.add(String(row.compression));
            const rows = await connection.runAndReadAll(`SELECT to_json(t)::VARCHAR AS row FROM read_parquet('${path}') t`);
            for (const row of rows.getRowObjects()) parquetRows.push(withoutNulls(JSON.parse(String(row.row))));
          }
          const jsonRows = readFileSync(join(first, jsonl), 'utf8').split('\n').filter((line) => line !== '').map((line) => withoutNulls(JSON.parse(line)));
          expect(parquetRows, `${format.name} ${split}`).toEqual(jsonRows);
          // Every column chunk is zstd (a split with no rows has no chunk).
          expect([...codecNames]).toEqual(jsonRows.length === 0 ? [] : ['ZSTD']);
          expect(jsonRows.length).toBe(manifest.counts.rowsByFormat[format.name]![split]);
        }
        expect(entry.files.filter((file) => file.startsWith(`${format.name}/train-`)).length, `${format.name} spreads over shards`).toBeGreaterThan(1);
      }
      // ATIF has no Parquet schema (its arguments are free-form objects): JSONL only.
      expect(manifest.formats.find((entry) => entry.format === 'atif')!.files).toEqual(['atif/train.jsonl', 'atif/val.jsonl', 'atif/rows.jsonl']);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('should write byte-identical shards for the same input', async () => {
    const second = join(work, 'second');
    await writeCorpus(second);
    for (const format of ['sharegpt', 'openai', 'messages']) {
      const names = readdirSync(join(first, format)).filter((name) => name.endsWith('.parquet'));
      expect(readdirSync(join(second, format)).filter((name) => name.endsWith('.parquet'))).toEqual(names);
      for (const name of names) expect(readFileSync(join(second, format, name)).equals(readFileSync(join(first, format, name))), `${format}/${name}`).toBe(true);
    }
  }, 120_000);

  it('should write a dataset card whose configs name every format and split', () => {
    const card = readFileSync(join(first, 'README.md'), 'utf8');
    expect(card.startsWith('---\npretty_name: forge dataset\n')).toBe(true);
    for (const { format, files } of manifest.formats) {
      const dataFiles = formatDataFiles(files);
      expect(card).toContain(`  - config_name: ${format}\n`);
      expect(card).toContain(`      - split: train\n        path: ${JSON.stringify(dataFiles.train)}\n      - split: validation\n        path: ${JSON.stringify(dataFiles.validation)}\n`);
      // Each pattern names exactly the files of its split.
      for (const [split, pattern] of Object.entries(dataFiles)) {
        const regex = new RegExp(`^${pattern.replaceAll('.', '\\.').replace('*', '[^/]*')}$`, 'u');
        const matched = readdirSync(join(first, format)).map((name) => `${format}/${name}`).filter((path) => regex.test(path));
        expect(matched.length, `${format} ${split}`).toBeGreaterThan(0);
        expect(matched.every((path) => path.includes(split === 'train' ? 'train' : 'val')), `${format} ${split}`).toBe(true);
      }
    }
    expect(formatDataFiles(manifest.formats[0]!.files)).toEqual({ train: 'sharegpt/train-*.parquet', validation: 'sharegpt/validation-*.parquet' });
    expect(card).toContain('default: true');
    expect(card).toContain(`| sharegpt | ${manifest.counts.rowsByFormat.sharegpt!.train} | ${manifest.counts.rowsByFormat.sharegpt!.validation} |`);
    for (const source of Object.keys(manifest.counts.sessionsBySource)) expect(card).toContain(`| ${source} | ${manifest.counts.sessionsBySource[source]} |`);
    expect(card).toContain('### Redactions by kind');
  });
});
