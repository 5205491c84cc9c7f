import { type DatasetManifest } from '@forge/schema';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { loadConfig } from '../config/load-config.js';
import { resolvePairingConfig } from '../config/pairing-config.js';
import { createProgress } from '../render/progress.js';
import { limitHeapGrowth } from '../run/limit-heap-growth.js';
import { runForge } from '../run/run-forge.js';
import { type RunOptions } from './command-options.js';
import { splitList } from './option-parsers.js';

/** `forge run`: the flags over forge.config.json, then `runForge`, with progress and a summary on stderr. */
export async function runCommand(flags: RunOptions, io: CliIo): Promise<ExitCode> {
  const loaded = loadConfig(io.cwd, flags.config);
  const { config } = loaded;
  const progress = createProgress(io, { quiet: flags.quiet });
  const log = (line: string) => {
    if (!flags.quiet) io.stderr.write(`${line}\n`);
  };
  limitHeapGrowth();
  try {
    // Undefined: runForge's default.
    const result = await runForge({
      sources: flags.source == null ? config.sources : splitList(flags.source),
      roots: flags.root.length > 0 ? flags.root : config.roots,
      demo: flags.demo,
      out: flags.out ?? config.out,
      formats: flags.format == null ? config.formats : splitList(flags.format),
      parquetShardMb: flags.parquetShardMb ?? config.parquetShardMb,
      shard: flags.shard,
      keepNoise: flags.keepNoise || config.keepNoise,
      systemPrompt: flags.systemPrompt ?? config.systemPrompt,
      validationRatio: flags.validationRatio ?? config.validationRatio,
      maxTokens: flags.maxTokens ?? config.maxTokens,
      overLength: flags.overLength ?? config.overLength,
      tokenizer: flags.tokenizer ?? config.tokenizer,
      cacheDir: flags.cacheDir ?? config.cacheDir,
      full: flags.full,
      jobs: flags.jobs,
      score: flags.score,
      minScore: flags.minScore ?? config.minScore,
      ...resolvePairingConfig(flags, loaded, io),
      env: io.env,
      cwd: io.cwd,
      onProgress: (event) => {
        switch (event.kind) {
          case 'waiting':
            log(`waiting: another forge run (pid ${event.holder.pid}, since ${event.holder.startedAt}) is using the state database ${event.stateDatabase}`);
            return;
          case 'discovered':
            progress.start('reading', event.files, event.bytes);
            return;
          case 'file-done':
            progress.advance(event.bytes);
            return;
          case 'read': {
            progress.stop();
            const fromCache = event.files - event.filesRead;
            log(`read ${event.filesRead}${fromCache === 0 ? '' : ` of ${event.files}`} files${fromCache === 0 ? '' : ' (the rest unchanged, from the cache)'}; ${event.sessions} sessions`);
            return;
          }
        }
      },
    });
    if (result.upToDate) log(`up to date: no input and no option changed since the last run into ${result.out} (--full rebuilds it)`);
    else log(summaryLines(result.manifest, result.out));
    if (flags.json) {
      const { counts, tokens, redactions, skipped, warnings, scoring } = result.manifest;
      const scores = scoring == null ? {} : { scoring: { ...scoring, warnings: scoring.warnings.length } };
      io.stdout.write(`${JSON.stringify({ out: result.out, counts, tokens, redactions, skipped: skipped.length, warnings, ...scores })}\n`);
    }
    return result.manifest.warnings > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
  } finally {
    progress.stop();
  }
}

/** The summary `forge run` and `forge merge` print on stderr. */
export function summaryLines(manifest: DatasetManifest, out: string): string {
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
    ...(manifest.scoring == null ? [] : [`  scored     ${manifest.scoring.sessions} sessions, mean ${manifest.scoring.scoreDistribution.mean ?? '-'}, ${manifest.scoring.outcomeKnown} with a known outcome`]),
    `  skipped    ${manifest.skipped.length} (reasons in manifest.json)`,
    `  warnings   ${manifest.warnings}`,
  ].join('\n');
}
