import { mkdir, open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type DatasetManifest } from '@forge/schema';
import { type BuiltDataset } from '../merge/dataset-merger.js';
import { type DatasetSplit } from '../split/assign-split.js';
import { datasetCard } from './dataset-card.js';
import { createDatasetManifest, type DatasetRunFacts } from './dataset-manifest.js';
import { datasetReportHtml } from './dataset-report.js';
import { rowsFilePath } from './dataset-layout.js';
import { describeWriteFailure } from './write-folder-atomically.js';
import { writeParquetShards } from './write-parquet.js';

/** How a dataset is written beyond its JSONL rows. */
export interface DatasetOutputOptions {
  /** Also write each format that has a Parquet schema as zstd Parquet shards beside its JSONL. */
  parquet?: boolean;
  /** About how large a Parquet shard may grow, in bytes (default 100 MB). */
  parquetShardBytes?: number;
}

/** Lines are written in pieces of about this many bytes. */
const pieceBytes = 1024 * 1024;
const newline = Buffer.from('\n');

/** Writes each line (UTF-8 bytes, or a string) and a newline after it. */
async function writeLines(path: string, lines: Iterable<Uint8Array | string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'w');
  try {
    let piece: Uint8Array[] = [];
    let bytes = 0;
    for (const line of lines) {
      const encoded = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
      piece.push(encoded, newline);
      bytes += encoded.length + 1;
      if (bytes >= pieceBytes) {
        await handle.write(Buffer.concat(piece, bytes));
        piece = [];
        bytes = 0;
      }
    }
    if (piece.length > 0) await handle.write(Buffer.concat(piece, bytes));
  } finally {
    await handle.close();
  }
}

/** A format's rows of one split as the bytes of their lines (a spilled row is copied, not decoded). */
function* rowBytes(dataset: BuiltDataset, format: string, split: DatasetSplit): Generator<Buffer> {
  for (const row of dataset.rows(format, split)) yield row.bytes;
}

/** Each row's bookkeeping as one `rows.jsonl` line, train rows then validation rows, in row order (a preference row names both sessions). */
function* rowLabelLines(dataset: BuiltDataset, format: string): Generator<string> {
  for (const split of ['train', 'validation'] as const satisfies readonly DatasetSplit[]) {
    for (const { labels } of dataset.rows(format, split)) {
      yield JSON.stringify({ sessionId: labels.sessionId, source: labels.source, role: labels.role, beads: labels.beads, score: labels.score, split, ...(labels.preference == null ? {} : { preference: labels.preference }) });
    }
  }
}

/**
 * Writes a built dataset into `folder`: each format's rows as `<format>/train.jsonl` and
 * `<format>/val.jsonl` (created even when empty; the paths the build chose) with the rows'
 * bookkeeping in `<format>/rows.jsonl` (every format, present and future), with `parquet` also
 * `<format>/train-00000-of-0000N.parquet` shards, the formats' sidecars (`dataset_info.json`,
 * `axolotl.yaml`), `manifest.json` with the run's facts, the dataset card `README.md` and
 * `report.html`. The one place that knows the dataset's file layout. Returns the manifest
 * written. Write into a temp folder through `writeFolderAtomically` to replace a dataset whole.
 */
export async function writeDataset(folder: string, dataset: BuiltDataset, run: DatasetRunFacts, output: DatasetOutputOptions = {}): Promise<DatasetManifest> {
  const manifest = await createDatasetManifest(dataset, run);
  await describeWriteFailure(folder, async () => {
    for (const [name, { files, parquetColumns }] of Object.entries(dataset.formats)) {
      for (const split of ['train', 'validation'] as const satisfies readonly DatasetSplit[]) {
        await writeLines(join(folder, files[split]), rowBytes(dataset, name, split));
        if (output.parquet !== true || parquetColumns == null) continue;
        const shardFolder = dirname(files[split]);
        const shards = await writeParquetShards({ jsonlPath: join(folder, files[split]), folder: join(folder, shardFolder), split, columns: parquetColumns, shardBytes: output.parquetShardBytes });
        manifest.formats.find((entry) => entry.format === name)?.files.push(...shards.map((shard) => (shardFolder === '.' ? shard : `${shardFolder}/${shard}`)));
      }
      await writeLines(join(folder, rowsFilePath(files)), rowLabelLines(dataset, name));
    }
    const texts = [
      ...dataset.sidecars,
      { path: 'manifest.json', text: `${JSON.stringify(manifest, null, 2)}\n` },
      { path: 'README.md', text: datasetCard(manifest) },
      { path: 'report.html', text: datasetReportHtml(manifest) },
    ];
    for (const { path, text } of texts) {
      await mkdir(dirname(join(folder, path)), { recursive: true });
      await writeFile(join(folder, path), text);
    }
  });
  return manifest;
}
