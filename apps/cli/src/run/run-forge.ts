import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ScoreSummarizer, scoringView, type ScoreSummarizerSnapshot } from '@forge/scoring';
import { ForgeError, parseDatasetManifest, scoringConfigSchema, type DatasetManifest, type ScoringConfigInput, type SessionSource, type SessionWarning } from '@forge/schema';
import { CollectionTally, DEFAULT_HUGE_FILE_BYTES, discoverInputs, planReadUnits, shardInputs, splitHugeFiles, StateStore, streamHugeFiles, type StateHolder } from '@forge/state';
import {
  createDatasetBuilder,
  loadTokenizerJsonCounter,
  planPairs,
  removeAbandonedFolders,
  resolveFormats,
  writeDataset,
  writeFolderAtomically,
  type FormatName,
  type PairBy,
  type PairCandidate,
  type RedactionOptions,
} from '@forge/transform';
import { claudeConfigRoots, parseSources, resolveRoots, sourceReaders } from '../sources/source-registry.js';
import { FORGE_VERSION } from '../version.js';
import { defaultJobs } from './default-jobs.js';
import { demoHome, stateDatabasePath } from './default-paths.js';
import { wantsPreferences } from './plan-preferences.js';
import { checkRunOptions, type OverLength } from './run-options.js';
import { readScoringOutcomes, ScoringTargetCollector } from './score-sessions.js';
import { StreamedViewMessages } from './streamed-view-messages.js';
import { RunUnitCache, unitCacheKey } from './unit-cache.js';
import { type UnitBuildOptions } from './run-unit.js';
import { UnitThreads } from './unit-threads.js';
import { ViewSpill, type ViewRef } from './view-spill.js';
import { resolveSystemPrompt } from './system-prompt-option.js';
import { redactionDigest } from './redaction-digest.js';

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
   * Score every session (default true): the dedup tie-break, `minScore`, the scores in each
   * `rows.jsonl` and the manifest's `scoring`. False skips reading beads and git (rows carry `score: null`).
   */
  score?: boolean;
  /** Leave out sessions scoring below this (0–1); they are listed in the manifest's `skipped`. */
  minScore?: number;
  /** More beads stores for scoring (`--beads DIR`); by default each session's nearest `.beads/`. */
  beadsDirs?: readonly string[];
  /** More git repositories for scoring (`--git DIR`); by default the one holding each session's cwd. */
  gitDirs?: readonly string[];
  /** forge.config.json's `scoring` block: weights, tiers, the review threshold (@forge/scoring's README). */
  scoring?: ScoringConfigInput;
  /**
   * More redaction than the defaults (patterns, literal values, an allowlist; `resolveRedactionConfig`
   * turns forge.config.json's `redaction` block into these). The home folder is always `env.HOME`.
   */
  redaction?: RedactionOptions;
  /** The environment the readers see (default `process.env`); `HOME` is the home folder redacted to `~`. */
  env?: NodeJS.ProcessEnv;
  /** The folder relative paths start from (default `process.cwd()`). */
  cwd?: string;
  /**
   * Preference formats (`dpo-*`, `kto`): same-bead pairs below this score margin are dropped
   * (default `defaultMinMargin`, 0.1). Outcomes are read with the scoring defaults from the sessions' folders.
   */
  minMargin?: number;
  /**
   * Threads that handle files (default `os.availableParallelism()`, or 1 for inputs under 16 MB,
   * where starting threads takes longer than the work): 1 does everything on this thread; N > 1
   * starts N worker threads, each reading, cleaning and building the rows of whole units (a Claude
   * Code project, or one file), while this thread merges. The dataset is byte-identical for every N.
   */
  jobs?: number;
  /** Preference formats: which kinds of pair to build (default `bead,branch`; `type` pairs beads of one issue type only when asked). */
  pairBy?: readonly PairBy[];
  /** Progress as it happens (nothing is printed by `runForge` itself). */
  onProgress?: (event: RunProgress) => void;
  /**
   * Files above this many bytes are streamed a token window at a time instead of read whole (same
   * rows; see `splitHugeFiles` of @forge/state). Default `FORGE_HUGE_FILE_BYTES`, else 64 MiB.
   */
  hugeFileBytes?: number;
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
  if (options.score === false && options.minScore != null) throw new ForgeError({ message: 'invalid options: minScore needs the scores that score: false leaves out', code: 'usage' });
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const home = env.HOME ?? homedir();
  const roots = options.demo === true ? [demoHome()] : [...(options.roots ?? [])];
  const rowFormats = options.formats?.filter((format) => format !== 'parquet');
  const systemPrompt = await resolveSystemPrompt(options.systemPrompt ?? 'keep', cwd);
  // The options the dataset was made with, as the manifest records them (and the up-to-date signature covers).
  const recorded = {
    sources: parseSources(options.sources),
    roots,
    out: resolve(cwd, options.out ?? 'forge-dataset'),
    formats: resolveFormats(rowFormats == null || rowFormats.length === 0 ? undefined : rowFormats).map((format) => format.name as FormatName),
    parquet: options.formats?.includes('parquet') ?? false,
    parquetShardMb: options.parquetShardMb ?? 100,
    keepNoise: options.keepNoise ?? false,
    systemPrompt: systemPrompt.recorded,
    validationRatio: options.validationRatio ?? 0.1,
    maxTokens: options.maxTokens ?? 32_768,
    overLength: options.overLength ?? 'split',
    tokenizer: options.tokenizer == null ? undefined : resolve(cwd, options.tokenizer),
    demo: options.demo ?? false,
    score: options.score ?? true,
    minScore: options.minScore ?? null,
    beadsDirs: (options.beadsDirs ?? []).map((dir) => resolve(cwd, dir)),
    gitDirs: (options.gitDirs ?? []).map((dir) => resolve(cwd, dir)),
    scoring: scoringConfigSchema.parse(options.scoring ?? {}),
    ...(options.minMargin == null ? {} : { minMargin: options.minMargin }),
    ...(options.pairBy == null ? {} : { pairBy: options.pairBy }),
    shard: options.shard,
  };
  // Preference formats need every branch (abandoned ones pair with the continued one) and every session's score.
  const preferences = wantsPreferences(recorded.formats);
  if (options.shard != null && preferences) {
    throw new ForgeError({ message: 'invalid options: preference formats pair sessions across the whole corpus; write them from one run, without --shard', code: 'usage' });
  }
  const shard = options.shard == null ? undefined : { index: Number(options.shard.split('/')[0]), count: Number(options.shard.split('/')[1]) };
  const progress = options.onProgress ?? (() => undefined);
  const redaction: RedactionOptions = { ...options.redaction, homeDirectory: home };
  const selection = { readers: sourceReaders, sources: new Set<SessionSource>(recorded.sources), roots: resolveRoots(roots, cwd), env, homeDirectory: home };
  await removeAbandonedFolders(recorded.out);
  const stateDatabase = stateDatabasePath(options.cacheDir, env, cwd);
  const store = await StateStore.open(stateDatabase, { cacheVersion: preferences ? `${FORGE_VERSION}+branches-all` : FORGE_VERSION, onWait: (holder) => progress({ kind: 'waiting', holder, stateDatabase }) });
  // The run's threads (ended below too when the run fails).
  let opened: UnitThreads | undefined;
  // The unit cache's use by this run: committed once the dataset is written.
  let unitCache: RunUnitCache | undefined;
  try {
    const everyInput = await discoverInputs(selection, { store, reuseCache: options.full !== true });
    const listed = shard == null ? everyInput : shardInputs(everyInput, shard);
    // Files too big to hold are streamed on this thread after the others (never cached).
    const { discovered, huge } = splitHugeFiles(listed, options.hugeFileBytes ?? (Number(env.FORGE_HUGE_FILE_BYTES) || DEFAULT_HUGE_FILE_BYTES));
    // The run's inputs and options; the same signature and an untouched output folder mean nothing to do.
    const verdicts = store.verdicts();
    // Recorded verdicts change scores: a new one rebuilds the dataset. (Beads and git are read
    // only once the sessions are: a bead's later reopening shows when an input changes, or with --full.)
    const signature = createHash('sha256')
      .update(JSON.stringify({ forge: FORGE_VERSION, options: recorded, redaction: redactionDigest(redaction), verdicts: [...verdicts.values()], files: listed.files.map(({ path, size, mtimeMs }) => [path, size, mtimeMs]) }))
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
        systemPrompt: systemPrompt.policy,
        validationRatio: recorded.validationRatio,
        tokens: { budget: recorded.maxTokens, overBudget: recorded.overLength },
        ...(tokenCounter == null ? {} : { tokenCounter }),
        // The user name to redact is the redactor's default: this machine's user.
        redaction,
        spillDirectory,
        ...(recorded.minScore == null ? {} : { minScore: recorded.minScore }),
        ...(processedLines == null ? {} : { recordProcessed }),
      });
      const inputBytes = discovered.files.reduce((total, file) => total + file.size, 0);
      progress({ kind: 'discovered', files: listed.files.length, bytes: listed.files.reduce((total, file) => total + file.size, 0) });
      const jobs = options.jobs ?? defaultJobs(inputBytes);
      const tally = new CollectionTally(discovered);
      const targets = new ScoringTargetCollector();
      const candidates: PairCandidate[] = [];
      // Scoring views wait on disk, in the spill of the thread that read them, until every session is
      // read (outcomes are read once, for every session's folder); then each thread scores its own.
      // Here, in unit order: what applying each score needs.
      const toScore: { key?: string; candidate?: Omit<PairCandidate, 'score'>; view: ViewRef }[] = [];
      // A view's spill file, one string per file (each session's reference arrives with its own copy).
      const spillFiles = new Map<string, string>();
      const spillFile = (file: string) => spillFiles.get(file) ?? (spillFiles.set(file, file), file);
      const units = planReadUnits(discovered);
      const build: UnitBuildOptions = {
        formats: recorded.formats,
        noise: recorded.keepNoise ? 'keep' : 'drop',
        systemPrompt: systemPrompt.policy,
        tokens: { budget: recorded.maxTokens, overBudget: recorded.overLength },
        redaction,
        ...(recorded.tokenizer == null ? {} : { tokenizer: recorded.tokenizer }),
      };
      const threads = (opened = await UnitThreads.open(units.length, {
        jobs,
        build,
        stateDatabase,
        cache: store.files,
        // Each thread's rows go to its own segment of the unit cache, written once: this run's merge
        // and later runs' (for the units that stay unchanged) adopt them in place.
        rowDirectory: store.units.directory,
        ...(recorded.score ? { spillDirectory } : {}),
      }));
      const views = threads.views;
      const unitTask = {
        reuseCache: options.full !== true,
        // Preference formats read every branch: an abandoned one is pair material only, never an SFT row.
        readOptions: preferences ? { branches: 'all' as const } : {},
        sources: recorded.sources,
        score: recorded.score,
        preferences,
      };
      // Served units' views are scored like the others: spread over one spill per thread.
      const servedViews = recorded.score ? Array.from({ length: Math.max(1, Math.min(jobs, units.length)) }, (_, index) => new ViewSpill(join(spillDirectory, `scoring-views-served-${index}.jsonl`))) : [];
      unitCache = new RunUnitCache(store.units, unitCacheKey(build, unitTask), servedViews);
      for await (const { unit, result } of threads.handle(units, unitTask, unitCache)) {
        tally.addUnit(result, { count: result.sessions.length, warnings: result.sessionWarnings });
        for (const session of result.sessions) {
          const added = await builder.addProcessedSession(session.processed, result.rowFile);
          if (session.view != null) {
            targets.add(session.target!);
            toScore.push({ ...(added.status === 'accepted' ? { key: added.key } : {}), ...(session.candidate == null ? {} : { candidate: session.candidate }), view: { file: spillFile(session.view.file), line: session.view.line } });
          } else if (session.candidate != null) candidates.push({ ...session.candidate, score: null });
        }
        progress({ kind: 'file-done', bytes: unit.files.reduce((total, file) => total + file.size, 0) });
      }
      unitCache.flushViews();
      store.pruneFiles(new Set(recorded.sources), new Set(discovered.files.map((file) => file.path)));
      // A file too big to hold: its passes build the rows, and its scoring view a message at a time.
      const streamed = await streamHugeFiles(huge, {
        ...(preferences ? { readOptions: { branches: 'all' as const } } : {}),
        consume: async (passes, file) => {
          // The scoring view's messages go to disk as the first pass streams them: never held whole.
          const viewMessages = views == null ? undefined : new StreamedViewMessages(join(spillDirectory, 'streamed-view-messages.tmp'));
          let firstPass = true;
          const tapped = {
            head: () => passes.head(),
            messages: () => {
              if (viewMessages == null || !firstPass) return passes.messages();
              firstPass = false;
              return tapMessages(passes.messages(), (message) => viewMessages.add(message));
            },
          };
          let added: Awaited<ReturnType<typeof builder.addSessionPasses>>;
          try {
            // An abandoned branch (read with every branch for pairs) is pair material only, as in the units.
            added = await builder.addSessionPasses(tapped, (head) => (head.branch.isActive ? {} : { preferenceOnly: true }));
          } finally {
            viewMessages?.close();
          }
          const head = passes.head();
          if (head == null) return undefined;
          const candidate = preferences ? { sessionId: head.id, source: head.source, file: head.files[0] ?? file.path, branch: head.branch } : undefined;
          if (views != null) {
            const { messages: _none, ...view } = scoringView({ ...head, messages: [] });
            targets.add(view);
            const ref = views.addStreamed({ active: head.branch.isActive, candidate: candidate != null }, view, viewMessages!.path);
            toScore.push({ ...(added?.status === 'accepted' ? { key: added.key } : {}), ...(candidate == null ? {} : { candidate }), view: ref });
          } else if (candidate != null) candidates.push({ ...candidate, score: null });
          progress({ kind: 'file-done', bytes: file.size });
          return head;
        },
      });
      // Streamed files are one more unit's bookkeeping: every file they hold was read.
      tally.addUnit({ inputs: streamed.inputs, skippedFiles: streamed.skippedFiles, fileWarnings: streamed.fileWarnings, filesRead: streamed.inputs.length }, { count: streamed.sessionCount, warnings: streamed.sessionWarnings });
      const collected = tally.finish();
      progress({ kind: 'read', files: collected.inputs.length, filesRead: collected.filesRead, sessions: collected.sessionCount });
      let scoring: DatasetManifest['scoring'];
      let scoringSnapshot: ScoreSummarizerSnapshot | undefined;
      if (views != null) {
        const outcomes = await readScoringOutcomes(
          targets.targets(),
          { beadsDirs: recorded.beadsDirs, gitDirs: recorded.gitDirs, config: recorded.scoring, verdicts, env, cwd, claudeRoots: claudeConfigRoots(selection.roots, env, home) },
        );
        const files = [...new Set(toScore.map((entry) => entry.view.file))].sort();
        const scored = await threads.scoreViews(files, outcomes);
        const summarizer = new ScoreSummarizer();
        const warnings = [...outcomes.warnings];
        for (const { summary, warnings: more } of scored.values()) {
          summarizer.addSnapshot(summary);
          warnings.push(...more);
        }
        // Scores change no row: the merge applies them (tie-break, minScore, rows.jsonl, pairs), in unit order.
        for (const { key, candidate, view } of toScore) {
          const { score, beads, whole } = scored.get(view.file)!.scores[view.line]!;
          if (key != null) await builder.labelSession(key, { score, ...(beads == null ? {} : { beads }) });
          if (candidate != null) candidates.push({ ...candidate, score: whole! });
        }
        toScore.length = 0;
        // Sorted, so every --jobs and shards merged (forge merge) give the same list.
        scoring = { ...summarizer.summary(), minScore: recorded.minScore, warnings: warnings.sort(compareWarnings) };
        scoringSnapshot = summarizer.snapshot();
      }
      // The threads end before the dataset is written: their heaps are no longer needed.
      await threads.close();
      const plan = preferences ? planPairs(candidates, { ...(recorded.minMargin == null ? {} : { minMargin: recorded.minMargin }), ...(recorded.pairBy == null ? {} : { pairBy: recorded.pairBy }) }) : undefined;
      candidates.length = 0;
      const dataset = builder.finish(plan);
      try {
        manifest = await writeDataset(folder, dataset, {
          forgeVersion: FORGE_VERSION,
          options: recorded,
          inputs: collected.inputs,
          skippedFiles: collected.skippedFiles,
          warnings: collected.sessionWarnings + collected.fileWarnings.length,
          ...(scoring == null ? {} : { scoring }),
        }, { parquet: recorded.parquet, parquetShardBytes: Math.round(recorded.parquetShardMb * 1024 * 1024) });
      } finally {
        dataset.close();
        await written;
        await processedLines?.close();
      }
      if (shard != null) await writeFile(join(folder, shardFile), `${JSON.stringify({ shardFormat: 1, forgeVersion: FORGE_VERSION, shard, tokenCounter: manifest.tokens.counter, ...(scoringSnapshot == null ? {} : { scoring: scoringSnapshot }) }, null, 2)}\n`);
      await rm(spillDirectory, { recursive: true, force: true });
    });
    if (manifest == null) throw new Error('the dataset was not written');
    // The dataset is written: the segments are complete and no longer read. Units of every shard stay live.
    unitCache?.commit(new Set(recorded.sources), planReadUnits(everyInput));
    store.recordRun(recorded.out, { signature, outputState: await describeFolder(recorded.out) });
    return { out: recorded.out, manifest, upToDate: false };
  } finally {
    await opened?.close();
    store.close();
  }
}

/** The messages of one pass, each also handed to `tap` as it goes by. */
async function* tapMessages<T>(messages: AsyncIterable<T> | Iterable<T>, tap: (message: T) => void): AsyncGenerator<T> {
  for await (const message of messages) {
    tap(message);
    yield message;
  }
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

/** Scoring warnings in one order: by file, kind and message. */
export function compareWarnings(left: SessionWarning, right: SessionWarning): number {
  return left.file.localeCompare(right.file) || left.kind.localeCompare(right.kind) || left.message.localeCompare(right.message) || (left.line ?? 0) - (right.line ?? 0);
}
