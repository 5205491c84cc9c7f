import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type DatasetManifest, parseDatasetManifest } from '@forge/schema';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { createBuilder, parseFormats } from '../pipeline/build-dataset.js';
import { collectSessions } from '../pipeline/collect-sessions.js';
import { defaultCacheDirectory, demoHome } from '../pipeline/default-paths.js';
import { loadConfig } from '../pipeline/load-config.js';
import { parseSources, resolveRoots } from '../pipeline/source-selection.js';
import { StateCache } from '../pipeline/state-cache.js';
import { writeFolderAtomically, writeTextFile } from '../pipeline/write-folder-atomically.js';
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
  const log = (line: string) => {
    if (!flags.quiet) io.stderr.write(`${line}\n`);
  };

  try {
    const builder = await createBuilder({
      formats: options.formats,
      keepNoise: options.keepNoise,
      validationRatio: options.validationRatio,
      maxTokens: options.maxTokens,
      overLength: options.overLength,
      tokenizer: options.tokenizer,
      homeDirectory: io.env.HOME ?? homedir(),
    });
    const collected = await collectSessions({
      consume: async (session) => {
        await builder.addSession(session);
      },
      selection,
      env: io.env,
      cache,
      reuseCache: !flags.full,
      onDiscovered: (files, bytes) => progress.start('reading', files, bytes),
      onFileDone: (bytes) => progress.advance(bytes),
    });
    progress.stop();
    log(`read ${collected.filesRead} files (${collected.inputs.length - collected.filesRead} unchanged, from the cache); ${collected.sessionCount} sessions`);
    const built = builder.finish();
    // Paths in the manifest name the user's home: write them as ~/… like every other output string.
    const home = io.env.HOME ?? homedir();
    const tildify = (path: string) => (home !== '' && home !== '/' && path.startsWith(home) ? `~${path.slice(home.length)}` : path);
    const warnings = collected.sessionWarnings + collected.fileWarnings.length;
    const manifest: DatasetManifest = parseDatasetManifest({
      manifestVersion: 1,
      forgeVersion: FORGE_VERSION,
      options: { ...options, out: tildify(options.out), roots: options.roots.map(tildify), tokenizer: options.tokenizer == null ? undefined : tildify(options.tokenizer) },
      inputs: collected.inputs.map(({ path, source, size, fingerprint }) => ({ path: tildify(path), source, size, fingerprint })),
      ...built.manifest,
      skipped: [...collected.skippedFiles.map(({ path, reason }) => ({ kind: 'file' as const, ref: tildify(path), reason: reason.replaceAll(home, '~') })), ...built.manifest.skipped],
      warnings,
    });

    await writeFolderAtomically(options.out, async (folder) => {
      for (const [format, lines] of Object.entries(built.formats)) {
        await writeTextFile(folder, `${format}/train.jsonl`, joinLines(lines.train));
        await writeTextFile(folder, `${format}/val.jsonl`, joinLines(lines.validation));
      }
      if (Object.keys(built.datasetInfo).length > 0) await writeTextFile(folder, 'dataset_info.json', `${JSON.stringify(built.datasetInfo, null, 2)}\n`);
      if (built.axolotlYaml !== '') await writeTextFile(folder, 'axolotl.yaml', built.axolotlYaml);
      await writeTextFile(folder, 'manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
    });

    if (flags.json) io.stdout.write(`${JSON.stringify({ out: options.out, counts: manifest.counts, tokens: manifest.tokens, redactions: manifest.redactions, skipped: manifest.skipped.length, warnings })}\n`);
    log(summaryLine(manifest, options.out));
    return warnings > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
  } finally {
    progress.stop();
    cache.close();
  }
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
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
