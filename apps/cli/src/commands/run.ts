import { homedir } from 'node:os';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { type DatasetManifest, parseDatasetManifest } from '@forge/schema';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { createBuilder, parseFormats } from '../pipeline/create-builder.js';
import { collectSessions, discoverInputs } from '../pipeline/collect-sessions.js';
import { defaultCacheDirectory, demoHome } from '../pipeline/default-paths.js';
import { loadConfig } from '../pipeline/load-config.js';
import { parseSources, resolveRoots } from '../pipeline/source-selection.js';
import { StateCache } from '../pipeline/state-cache.js';
import { writeDataset, writeFolderAtomically } from '@forge/transform';
import { createProgress } from '../render/progress.js';
import { FORGE_VERSION } from '../version.js';
import { type RunOptions } from './command-options.js';

/** `forge run`: every source → one dataset folder, written atomically, re-reading only what changed. */
export async function runCommand(flags: RunOptions, io: CliIo): Promise<ExitCode> {
  const { config } = loadConfig(io.cwd, flags.config);
  const roots = flags.demo ? [demoHome()] : flags.root.length > 0 ? flags.root : (config.roots ?? []);
  const options = {
    sources: [...parseSources(flags.source ?? config.sources)].sort(),
    roots,
    out: resolve(io.cwd, flags.out ?? config.out ?? 'forge-dataset'),
    formats: parseFormats(flags.format ?? config.formats),
    keepNoise: flags.keepNoise || (config.keepNoise ?? false),
    validationRatio: flags.validationRatio ?? config.validationRatio ?? 0.1,
    maxTokens: flags.maxTokens ?? config.maxTokens ?? 32_768,
    overLength: flags.overLength ?? config.overLength ?? 'split',
    tokenizer: flags.tokenizer == null ? config.tokenizer : resolve(io.cwd, flags.tokenizer),
    demo: flags.demo,
  };
  const selection = { sources: new Set(options.sources), ...resolveRoots(roots, io.cwd) };
  const cacheDirectory = resolve(io.cwd, flags.cacheDir ?? config.cacheDir ?? defaultCacheDirectory(io.env));
  const cache = new StateCache(join(cacheDirectory, 'state.sqlite'), FORGE_VERSION);
  const progress = createProgress(io, { quiet: flags.quiet });
  const home = io.env.HOME ?? homedir();
  const log = (line: string) => {
    if (!flags.quiet) io.stderr.write(`${line}\n`);
  };
  const report = (manifest: DatasetManifest): ExitCode => {
    if (flags.json) {
      const { counts, tokens, redactions, skipped, warnings } = manifest;
      io.stdout.write(`${JSON.stringify({ out: options.out, counts, tokens, redactions, skipped: skipped.length, warnings })}\n`);
    }
    return manifest.warnings > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
  };

  try {
    const discovered = await discoverInputs(selection, io.env);
    // The run's inputs and options; the same signature and an intact output folder mean nothing to do.
    const signature = createHash('sha256')
      .update(JSON.stringify({ forge: FORGE_VERSION, options, files: discovered.files.map(({ path, size, mtimeMs }) => [path, size, mtimeMs]) }))
      .digest('hex');
    const upToDate = flags.full ? undefined : await readUpToDateManifest(cache, options.out, signature);
    if (upToDate != null) {
      log(`up to date: no input and no option changed since the last run into ${options.out} (--full rebuilds it)`);
      return report(upToDate);
    }

    let summary: DatasetManifest | undefined;
    // Everything is written inside the temp folder, which replaces the output folder only when complete.
    await writeFolderAtomically(options.out, async (folder) => {
      const spillDirectory = join(folder, '.forge-spill');
      await mkdir(spillDirectory);
      const builder = await createBuilder({
        formats: options.formats,
        keepNoise: options.keepNoise,
        validationRatio: options.validationRatio,
        maxTokens: options.maxTokens,
        overLength: options.overLength,
        tokenizer: options.tokenizer,
        homeDirectory: home,
        spillDirectory,
      });
      const collected = await collectSessions({
        selection,
        env: io.env,
        discovered,
        cache,
        reuseCache: !flags.full,
        consume: async (session) => {
          await builder.addSession(session);
        },
        onDiscovered: (files, bytes) => progress.start('reading', files, bytes),
        onFileDone: (bytes) => progress.advance(bytes),
      });
      progress.stop();
      const fromCache = collected.inputs.length - collected.filesRead;
      log(`read ${collected.filesRead}${fromCache === 0 ? '' : ` of ${collected.inputs.length}`} files${fromCache === 0 ? '' : ' (the rest unchanged, from the cache)'}; ${collected.sessionCount} sessions`);

      const dataset = builder.finish();
      try {
        summary = await writeDataset(folder, dataset, {
          forgeVersion: FORGE_VERSION,
          options,
          inputs: collected.inputs,
          skippedFiles: collected.skippedFiles,
          warnings: collected.sessionWarnings + collected.fileWarnings.length,
        });
      } finally {
        dataset.close();
      }
      await rm(spillDirectory, { recursive: true, force: true });
    });
    if (summary == null) throw new Error('the dataset was not written');
    cache.recordRun(options.out, { signature, outputState: await describeFolder(options.out) });
    log(summaryLine(summary, options.out));
    return report(summary);
  } finally {
    progress.stop();
    cache.close();
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
async function readUpToDateManifest(cache: StateCache, out: string, signature: string): Promise<DatasetManifest | undefined> {
  const last = cache.lastRun(out);
  if (last?.signature !== signature) return undefined;
  try {
    if ((await describeFolder(out)) !== last.outputState) return undefined;
    return parseDatasetManifest(JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')));
  } catch {
    return undefined;
  }
}

function summaryLine(manifest: DatasetManifest, out: string): string {
  const rows = Object.entries(manifest.counts.rowsByFormat)
    .map(([format, count]) => `${format} ${count.train}+${count.validation}`)
    .join(', ');
  const redactions = Object.values(manifest.redactions).reduce((total, count) => total + count, 0);
  return [
    `wrote ${out}`,
    `  sessions   ${manifest.counts.sessions} (${Object.entries(manifest.counts.sessionsBySource).map(([source, count]) => `${source} ${count}`).join(', ')})`,
    `  rows       ${rows} (train+validation)`,
    `  tokens     ${manifest.tokens.total} (${manifest.tokens.counter}; p95 ${manifest.tokens.p95} per row)`,
    `  redacted   ${redactions} secrets and personal details`,
    `  skipped    ${manifest.skipped.length} (reasons in manifest.json)`,
    `  warnings   ${manifest.warnings}`,
  ].join('\n');
}
