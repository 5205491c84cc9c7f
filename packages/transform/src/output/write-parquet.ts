import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type DatasetSplit } from '../split/assign-split.js';

/** Parquet shards close at about this size (DuckDB checks after each row group). */
export const defaultParquetShardBytes = 100 * 1024 * 1024;

/** Options of {@link writeParquetShards}. */
export interface ParquetShardOptions {
  /** The JSONL file of one format and split, already written. */
  jsonlPath: string;
  /** The folder the shards go to (the format's folder). */
  folder: string;
  /** The split: shards are named `<train|validation>-00000-of-0000N.parquet`, as the Hub names them. */
  split: DatasetSplit;
  /** The format's one schema: column name → DuckDB type, so every shard and every run has the same Arrow types. */
  columns: Readonly<Record<string, string>>;
  /** About how large a shard may grow (default 100 MB). */
  shardBytes?: number;
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Writes one format's split as zstd Parquet shards with DuckDB (`@duckdb/node-api`): the rows of
 * the JSONL file read with the format's fixed column types, in file order, one thread (the same
 * rows give byte-identical shards), shards closing at about `shardBytes`. A row group holds about
 * a shard's worth of JSON text, so shards can close near their size. Returns the shard file names,
 * relative to `folder`, in order. An empty split gets one shard with no rows (the schema).
 */
export async function writeParquetShards(options: ParquetShardOptions): Promise<string[]> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const shardBytes = options.shardBytes ?? defaultParquetShardBytes;
  const prefix = options.split === 'train' ? 'train' : 'validation';
  const staging = join(options.folder, `.parquet-${prefix}`);
  const jsonBytes = (await stat(options.jsonlPath)).size;
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const columns = `{${Object.entries(options.columns)
      .map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`)
      .join(', ')}}`;
    const source = `read_json(${sqlString(options.jsonlPath)}, format = 'newline_delimited', columns = ${columns})`;
    const rows = Number((await connection.runAndReadAll(`SELECT count(*) AS rows FROM ${source}`)).getRowObjects()[0]!.rows);
    const rowGroupRows = rows === 0 ? 1 : Math.max(1, Math.min(122_880, Math.floor(rows / Math.max(1, Math.ceil(jsonBytes / shardBytes)))));
    await rm(staging, { recursive: true, force: true });
    await connection.run(
      `COPY (SELECT * FROM ${source}) TO ${sqlString(staging)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${rowGroupRows}, FILE_SIZE_BYTES ${shardBytes}, FILENAME_PATTERN 'shard_{i}', PER_THREAD_OUTPUT false)`,
    );
    let written = (await readdir(staging)).filter((name) => name.endsWith('.parquet'));
    if (written.length === 0) {
      await connection.run(`COPY (SELECT * FROM ${source}) TO ${sqlString(join(staging, 'shard_0.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
      written = ['shard_0.parquet'];
    }
    const ordered = written.sort((left, right) => Number(/\d+/u.exec(left)?.[0]) - Number(/\d+/u.exec(right)?.[0]));
    const names = ordered.map((_, index) => `${prefix}-${String(index).padStart(5, '0')}-of-${String(ordered.length).padStart(5, '0')}.parquet`);
    for (const [index, name] of ordered.entries()) await rename(join(staging, name), join(options.folder, names[index]!));
    await rm(staging, { recursive: true, force: true });
    return names;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
