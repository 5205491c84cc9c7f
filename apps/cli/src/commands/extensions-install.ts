import { resolve } from 'node:path';
import { installExtensions } from '@forge/pi-extensions';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { type ExtensionsInstallOptions } from './command-options.js';

/** `forge extensions install`: put training-capture and outcome-tagging where pi or omp loads them. */
export async function extensionsInstallCommand(options: ExtensionsInstallOptions, io: CliIo): Promise<ExitCode> {
  const installed = await installExtensions({ harness: options.harness, ...(options.dir == null ? {} : { dir: resolve(io.cwd, options.dir) }), env: io.env });
  for (const file of installed.files) io.stdout.write(`${file}\n`);
  io.stderr.write(`installed for ${installed.harness}: its next session writes forge.capture.* and forge.outcome.beads entries into the session file\n`);
  return exitCodes.ok;
}
