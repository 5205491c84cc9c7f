import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ScoreSummarizer, type ScoreSummarizerSnapshot } from '@forge/scoring';
import { ForgeError, parseDatasetManifest, type DatasetManifest } from '@forge/schema';
import { createDatasetBuilder, createEstimateTokenCounter, removeAbandonedFolders, writeDataset, writeFolderAtomically, type RedactionOptions } from '@forge/transform';
import { FORGE_VERSION } from '../version.js';
import { compareWarnings, shardFile, shardSessionsFile } from './run-forge.js';

/** Options of {@link mergeForge}. Paths are relative to `cwd`. */
export interface MergeForgeOptions {
  /** The folders `forge run --shard i/n` wrote: every shard of one run, once. */
  shards: readonly string[];
  /** The dataset folder to write (replaced whole when the merge completes). */
  out: string;
  /** The redaction the shards ran with (forge.config.json's), for the merged manifest's texts; the home folder is `env.HOME`. */
  redaction?: RedactionOptions;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

interface ShardFolder {
  folder: string;
  shard: { index: number; count: number };
  tokenCounter: string;
  forgeVersion: string;
  /** The shard's score counts (a scored run): merged into the one summary a single run would give. */
  scoring?: ScoreSummarizerSnapshot;
  manifest: DatasetManifest;
}

async function readShard(folder: string): Promise<ShardFolder> {
  const hint = 'pass the folders forge run --shard i/n wrote';
  const read = async (name: string) => {
    try {
      return JSON.parse(await readFile(join(folder, name), 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ForgeError({ message: `not a shard folder: cannot read ${join(folder, name)}`, code: 'usage', hint, cause: error });
    }
  };
  const facts = (await read(shardFile)) as Omit<ShardFolder, 'folder' | 'manifest'>;
  return { folder, ...facts, manifest: parseDatasetManifest(await read('manifest.json'), { file: join(folder, 'manifest.json') }) };
}

/** The options a shard ran with, without what differs between shards (`shard`, `out`). */
function sharedOptions(manifest: DatasetManifest): string {
  const { shard: _shard, out: _out, ...options } = manifest.options;
  return JSON.stringify(options);
}

/** Every shard of one run, each once, made with the same options and forge version; else a usage error saying what is wrong. */
function checkShards(shards: readonly ShardFolder[]): void {
  const first = shards[0]!;
  for (const shard of shards) {
    if (shard.shard.count !== first.shard.count || shard.forgeVersion !== first.forgeVersion || sharedOptions(shard.manifest) !== sharedOptions(first.manifest)) {
      throw new ForgeError({ message: `${shard.folder} is not a shard of the same run as ${first.folder} (shard count, forge version or options differ)`, code: 'usage', hint: 'merge the shards of one forge run --shard i/n with the same options' });
    }
  }
  const indexes = shards.map((shard) => shard.shard.index).sort((left, right) => left - right);
  const missing = Array.from({ length: first.shard.count }, (_, index) => index + 1).filter((index) => !indexes.includes(index));
  const repeated = indexes.filter((index, position) => indexes[position - 1] === index);
  if (missing.length > 0 || repeated.length > 0) {
    throw new ForgeError({
      message: `the shards are not every shard of ${first.shard.count} once:${missing.length > 0 ? ` missing ${missing.map((index) => `${index}/${first.shard.count}`).join(', ')}` : ''}${repeated.length > 0 ? ` repeated ${[...new Set(repeated)].map((index) => `${index}/${first.shard.count}`).join(', ')}` : ''}`,
      code: 'usage',
      hint: 'pass each shard folder once',
    });
  }
}

/**
 * `forge merge`: combines the folders of `forge run --shard i/n` into one dataset: every shard's
 * processed sessions go through one merge (duplicates across shards, order, split), and the run
 * facts (inputs, skipped files, warnings) are added up, so the result equals one run on every
 * input. Returns the manifest written.
 */
export async function mergeForge(options: MergeForgeOptions): Promise<{ out: string; manifest: DatasetManifest }> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (options.shards.length === 0) throw new ForgeError({ message: 'no shard folder given', code: 'usage', hint: 'forge merge SHARD-DIR… --out DIR' });
  const shards = await Promise.all(options.shards.map((folder) => readShard(resolve(cwd, folder))));
  checkShards(shards);
  const out = resolve(cwd, options.out);
  // The shards' options in their order, `out` this folder's, without `shard`: what one run would record.
  const runOptions: Record<string, unknown> = { ...shards[0]!.manifest.options, out };
  delete runOptions.shard;
  const recorded = runOptions as unknown as { formats: string[]; minScore?: number | null; keepNoise: boolean; validationRatio: number; maxTokens: number; overLength: 'split' | 'drop'; parquet?: boolean; parquetShardMb?: number };
  await removeAbandonedFolders(out);
  let manifest: DatasetManifest | undefined;
  await writeFolderAtomically(out, async (folder) => {
    const spillDirectory = join(folder, '.forge-spill');
    await mkdir(spillDirectory);
    const builder = await createDatasetBuilder({
      formats: recorded.formats,
      noise: recorded.keepNoise ? 'keep' : 'drop',
      validationRatio: recorded.validationRatio,
      tokens: { budget: recorded.maxTokens, overBudget: recorded.overLength },
      // Nothing is counted here (the shards counted): only the counter's name goes to the manifest.
      tokenCounter: { ...createEstimateTokenCounter(), name: shards[0]!.tokenCounter },
      redaction: { ...options.redaction, homeDirectory: env.HOME ?? homedir() },
      spillDirectory,
      // Scores come late (a shard's late-labels lines): the merge leaves out what scores below the minimum.
      ...(recorded.minScore == null ? {} : { minScore: recorded.minScore }),
    });
    for (const shard of shards) {
      const path = join(shard.folder, shardSessionsFile);
      let number = 0;
      for await (const line of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
        number += 1;
        if (line !== '') await builder.addProcessedLine(line, `${path}:${number}`);
      }
    }
    const dataset = builder.finish();
    const byPath = <T extends { path: string }>(left: T, right: T) => left.path.localeCompare(right.path);
    try {
      manifest = await writeDataset(
        folder,
        dataset,
        {
          forgeVersion: FORGE_VERSION,
          options: runOptions,
          // The shards' manifests hold these redacted already; redacting again changes nothing.
          inputs: shards.flatMap((shard) => shard.manifest.inputs).sort(byPath),
          skippedFiles: shards
            .flatMap((shard) => shard.manifest.skipped.filter((item) => item.kind === 'file').map((item) => ({ path: item.ref, reason: item.reason })))
            .sort((left, right) => byPath(left, right) || left.reason.localeCompare(right.reason)),
          warnings: shards.reduce((sum, shard) => sum + shard.manifest.warnings, 0),
          ...mergedScoring(shards),
        },
        { parquet: recorded.parquet ?? false, parquetShardBytes: Math.round((recorded.parquetShardMb ?? 100) * 1024 * 1024) },
      );
    } finally {
      dataset.close();
    }
    await rm(spillDirectory, { recursive: true, force: true });
  });
  if (manifest == null) throw new Error('the dataset was not written');
  return { out, manifest };
}

/** The scoring block one run over every shard's inputs gives: the shards' counts added, their warnings once each. */
function mergedScoring(shards: readonly ShardFolder[]): { scoring?: NonNullable<DatasetManifest['scoring']> } {
  const scored = shards.filter((shard) => shard.scoring != null && shard.manifest.scoring != null);
  if (scored.length === 0) return {};
  const summarizer = new ScoreSummarizer();
  for (const shard of scored) summarizer.addSnapshot(shard.scoring!);
  const warnings = new Map(scored.flatMap((shard) => shard.manifest.scoring!.warnings).map((warning) => [JSON.stringify(warning), warning]));
  return { scoring: { ...summarizer.summary(), minScore: scored[0]!.manifest.scoring!.minScore, warnings: [...warnings.values()].sort(compareWarnings) } };
}
