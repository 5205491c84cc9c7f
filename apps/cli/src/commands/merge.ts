import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { loadConfig } from '../config/load-config.js';
import { redactionOptions } from '../config/redaction-options.js';
import { mergeForge } from '../run/merge-forge.js';
import { type MergeOptions } from './command-options.js';
import { summaryLines } from './run.js';

/** `forge merge SHARD… --out DIR`: the shard folders of one run combined into one dataset. */
export async function mergeCommand(folders: string[], flags: MergeOptions, io: CliIo): Promise<ExitCode> {
  const { config, path: configPath } = loadConfig(io.cwd, flags.config);
  const result = await mergeForge({ shards: folders, out: flags.out, redaction: redactionOptions(config, configPath, io.env, io.cwd), env: io.env, cwd: io.cwd });
  if (!flags.quiet) io.stderr.write(`${summaryLines(result.manifest, result.out)}\n`);
  return result.manifest.warnings > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
}
