import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseDatasetManifest, type DatasetManifest, type SessionSource } from '@forge/schema';
import { collectSessions, discoverInputs, shardInputs, StateStore, type StateHolder } from '@forge/state';
import {
  createDatasetBuilder,
  loadTokenizerJsonCounter,
  removeAbandonedFolders,
  resolveFormats,
  writeDataset,
  writeFolderAtomically,
  type FormatName,
  type RedactionOptions,
} from '@forge/transform';
import { parseSources, resolveRoots, sourceReaders } from '../sources/source-registry.js';
import { FORGE_VERSION } from '../version.js';
import { defaultCacheDirectory, demoHome } from './default-paths.js';
import { checkRunOptions, type OverLength } from './run-options.js';
import { resolveSystemPrompt, systemPromptPolicy } from './system-prompt-option.js';

/** What a shard run adds to its folder: the processed sessions (rows and duplicate signatures), and which shard it is. */
export const shardSessionsFile = 'sessions.jsonl';
export const shardFile = 'shard.json';

/** Options of {@link runForge}; every one has a default. Paths are relative to `cwd`. */
export interface RunForgeOptions {
  /** Sources to read, by `Session.source` or alias (`claude-code`, `claude`, `pir`, `pi`, `omp`); default all. */
  sources?: readonly string[];
  /** Home folders to read instead of this machine's, or one reader's folder as `NAME=DIR`. */
  roots?: readonly string[];
  /** Read the built-in demo corpus (instead of `roots`). */
  demo?: boolean;
  /** The dataset folder (default `forge-dataset`); replaced whole when the run completes. */
  out?: string;
  /** Formats to write (default every registered one written by default); `parquet` adds Parquet shards of the row formats. */
  formats?: readonly string[];
  /** About how large a Parquet shard grows, in MB (default 100). */
  parquetShardMb?: number;
  /**
   * Process only shard `i/n` of the inputs (a slice by path hash): the folder gets that slice's
   * dataset plus `sessions.jsonl` (rows and near-duplicate signatures) and `shard.json`, which
   * `mergeForge` combines into the dataset one run on every input would write.
   */
  shard?: string;
  /** Keep harness noise as never-trained context (default: drop it). */
  keepNoise?: boolean;
  /**
   * The rows' system prompt: `keep` (default) what each session recorded, `drop` none, or the path
   * of a text file whose content replaces it in every row.
   */
  systemPrompt?: string;
  /** Share of sessions in `val.jsonl` (default 0.1). */
  validationRatio?: number;
  /** Token budget per row (default 32768). */
  maxTokens?: number;
  /** Rows over the budget: `split` (default) or `drop`. */
  overLength?: OverLength;
  /** A local `tokenizer.json` for exact token counts (default: a fast estimate). */
  tokenizer?: string;
  /** Where the state database lives (default `$XDG_CACHE_HOME/forge`, else `~/.cache/forge`). */
  cacheDir?: string;
  /** Read every file again instead of trusting the state cache. */
  full?: boolean;
  /**
   * More redaction than the defaults (patterns, literal values, an allowlist; `resolveRedactionConfig`
   * turns forge.config.json's `redaction` block into these). The home folder is always `env.HOME`.
   */
  redaction?: RedactionOptions;
  /** The environment the readers see (default `process.env`); `HOME` is the home folder redacted to `~`. */
  env?: NodeJS.ProcessEnv;
  /** The folder relative paths start from (default `process.cwd()`). */
  cwd?: string;
  /** Progress as it happens (nothing is printed by `runForge` itself). */
  onProgress?: (event: RunProgress) => void;
}

/** What a run reports while it works. */
export type RunProgress =
  | { kind: 'waiting'; holder: StateHolder; stateDatabase: string }
  | { kind: 'discovered'; files: number; bytes: number }
  | { kind: 'file-done'; bytes: number }
  | { kind: 'read'; files: number; filesRead: number; sessions: number };

/** What {@link runForge} did. */
export interface RunForgeResult {
  /** The dataset folder (absolute). */
  out: string;
  /** The manifest written (or, when up to date, the one already there). */
  manifest: DatasetManifest;
  /** Nothing changed since the last run into `out`: nothing was read or written. */
  upToDate: boolean;
}

/**
 * The whole `forge run`: discover every source's files, read them (unchanged files from the state
 * cache), clean, redact, dedupe, split and write the dataset folder atomically, with its manifest.
 * A Node program calls it like the command does; it prints nothing and never exits the process.
 * Bad input becomes warnings (`manifest.warnings`); a wrong option throws a `usage` ForgeError.
 */
export async function runForge(options: RunForgeOptions = {}): Promise<RunForgeResult> {
  checkRunOptions(options);
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const home = env.HOME ?? homedir();
  const roots = options.demo === true ? [demoHome()] : [...(options.roots ?? [])];
  const rowFormats = options.formats?.filter((format) => format !== 'parquet');
  // The options the dataset was made with, as the manifest records them (and the up-to-date signature covers).
  const recorded = {
    sources: parseSources(options.sources),
    roots,
    out: resolve(cwd, options.out ?? 'forge-dataset'),
    formats: resolveFormats(rowFormats == null || rowFormats.length === 0 ? undefined : rowFormats).map((format) => format.name as FormatName),
    parquet: options.formats?.includes('parquet') ?? false,
    parquetShardMb: options.parquetShardMb ?? 100,
    keepNoise: options.keepNoise ?? false,
    systemPrompt: await resolveSystemPrompt(options.systemPrompt ?? 'keep', cwd),
    validationRatio: options.validationRatio ?? 0.1,
    maxTokens: options.maxTokens ?? 32_768,
    overLength: options.overLength ?? 'split',
    tokenizer: options.tokenizer == null ? undefined : resolve(cwd, options.tokenizer),
    demo: options.demo ?? false,
    shard: options.shard,
  };
  const shard = options.shard == null ? undefined : { index: Number(options.shard.split('/')[0]), count: Number(options.shard.split('/')[1]) };
  const progress = options.onProgress ?? (() => undefined);
  const redaction: RedactionOptions = { ...options.redaction, homeDirectory: home };
  const selection = { readers: sourceReaders, sources: new Set<SessionSource>(recorded.sources), roots: resolveRoots(roots, cwd), env, homeDirectory: home };
  await removeAbandonedFolders(recorded.out);
  const stateDatabase = join(resolve(cwd, options.cacheDir ?? defaultCacheDirectory(env)), 'state.sqlite');
  const store = await StateStore.open(stateDatabase, { cacheVersion: FORGE_VERSION, onWait: (holder) => progress({ kind: 'waiting', holder, stateDatabase }) });
  try {
    const everyInput = await discoverInputs(selection);
    const discovered = shard == null ? everyInput : shardInputs(everyInput, shard);
    // The run's inputs and options; the same signature and an untouched output folder mean nothing to do.
    const signature = createHash('sha256')
      .update(JSON.stringify({ forge: FORGE_VERSION, options: recorded, redaction: redactionDigest(redaction), files: discovered.files.map(({ path, size, mtimeMs }) => [path, size, mtimeMs]) }))
      .digest('hex');
    const upToDate = options.full === true ? undefined : await readUpToDateManifest(store, recorded.out, signature);
    if (upToDate != null) return { out: recorded.out, manifest: upToDate, upToDate: true };

    const tokenCounter = recorded.tokenizer == null ? undefined : await loadTokenizerJsonCounter({ tokenizerJsonPath: recorded.tokenizer });
    let manifest: DatasetManifest | undefined;
    // Everything is written inside the temp folder, which replaces the output folder only when complete.
    await writeFolderAtomically(recorded.out, async (folder) => {
      const spillDirectory = join(folder, '.forge-spill');
      await mkdir(spillDirectory);
      const processedLines = shard == null ? undefined : await open(join(folder, shardSessionsFile), 'w');
      // Writes one after another even if sessions are added concurrently (a FileHandle must not be written twice at once).
      let written = Promise.resolve();
      const recordProcessed = (line: string) => (written = written.then(async () => void (await processedLines!.write(`${line}\n`))));
      const builder = await createDatasetBuilder({
        formats: recorded.formats,
        noise: recorded.keepNoise ? 'keep' : 'drop',
        systemPrompt: systemPromptPolicy(recorded.systemPrompt),
        validationRatio: recorded.validationRatio,
        tokens: { budget: recorded.maxTokens, overBudget: recorded.overLength },
        ...(tokenCounter == null ? {} : { tokenCounter }),
        // The user name to redact is the redactor's default: this machine's user.
        redaction,
        spillDirectory,
        ...(processedLines == null ? {} : { recordProcessed }),
      });
      const collected = await collectSessions({
        selection,
        discovered,
        store,
        reuseCache: options.full !== true,
        consume: async (session) => {
          await builder.addSession(session);
        },
        onDiscovered: (files, bytes) => progress({ kind: 'discovered', files, bytes }),
        onFileDone: (bytes) => progress({ kind: 'file-done', bytes }),
      });
      progress({ kind: 'read', files: collected.inputs.length, filesRead: collected.filesRead, sessions: collected.sessionCount });
      const dataset = builder.finish();
      try {
        manifest = await writeDataset(folder, dataset, {
          forgeVersion: FORGE_VERSION,
          options: recorded,
          inputs: collected.inputs,
          skippedFiles: collected.skippedFiles,
          warnings: collected.sessionWarnings + collected.fileWarnings.length,
        }, { parquet: recorded.parquet, parquetShardBytes: Math.round(recorded.parquetShardMb * 1024 * 1024) });
      } finally {
        dataset.close();
        await written;
        await processedLines?.close();
      }
      if (shard != null) await writeFile(join(folder, shardFile), `${JSON.stringify({ shardFormat: 1, forgeVersion: FORGE_VERSION, shard, tokenCounter: manifest.tokens.counter }, null, 2)}\n`);
      await rm(spillDirectory, { recursive: true, force: true });
    });
    if (manifest == null) throw new Error('the dataset was not written');
    store.recordRun(recorded.out, { signature, outputState: await describeFolder(recorded.out) });
    return { out: recorded.out, manifest, upToDate: false };
  } finally {
    store.close();
  }
}

/**
 * What the redaction options change, as a digest for the up-to-date signature: a changed literal
 * value rebuilds the dataset, yet no value is written anywhere (patterns by their source).
 */
function redactionDigest(redaction: RedactionOptions): string {
  const text = JSON.stringify(redaction, (_key, value: unknown) => (value instanceof RegExp ? `/${value.source}/${value.flags}` : value));
  return createHash('sha256').update(text).digest('hex');
}

/** Every file of a folder with its size and mtime: what `forge run` wrote, so any later change shows. */
async function describeFolder(folder: string): Promise<string> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        const info = await stat(path);
        return `${relative(folder, path)}\u0000${info.size}\u0000${info.mtimeMs}`;
      }),
  );
  return files.sort().join('\n');
}

/** The manifest of the last run into `out`, when it was made from the same signature and the folder is untouched since. */
async function readUpToDateManifest(store: StateStore, out: string, signature: string): Promise<DatasetManifest | undefined> {
  const last = store.lastRun(out);
  if (last?.signature !== signature) return undefined;
  try {
    if ((await describeFolder(out)) !== last.outputState) return undefined;
    return parseDatasetManifest(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')));
  } catch {
    return undefined;
  }
}
