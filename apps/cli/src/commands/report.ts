import { resolve } from 'node:path';
import { writeDatasetReport } from '@forge/transform';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { type ReportOptions } from './command-options.js';

/** `forge report DIR`: draws the dataset folder's report.html again from its manifest.json. */
export async function reportCommand(folder: string, flags: ReportOptions, io: CliIo): Promise<ExitCode> {
  const path = resolve(io.cwd, folder);
  const written = await writeDatasetReport(path, flags.out == null ? undefined : resolve(io.cwd, flags.out));
  io.stderr.write(`wrote ${written}\n`);
  return exitCodes.ok;
}
