import { CommanderError, type Command } from 'commander';
import { ForgeError } from '@forge/schema';
import { type CliIo, exitCodes, processIo } from './cli-io.js';
import { isOutOfSpace, outOfSpaceMessage } from './out-of-space.js';
import { commandSummaries, forgeProgram } from './program-base.js';

/**
 * `forge`, `forge --help`, `forge --version`: the commands' names and summaries only, without
 * loading the readers and the transform (the full tree loads them for its option lists and checks).
 */
function overviewProgram(io: CliIo): Command {
  const program = forgeProgram(io);
  for (const [name, summary] of Object.entries(commandSummaries)) program.command(name).description(summary);
  return program;
}


/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. The only place
 * that maps errors to exit codes.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  // A word that is not a flag names a command (or `help <command>`): only then is the full tree needed.
  const program = argv.some((arg) => !arg.startsWith('-')) ? (await import('./program.js')).buildProgram(io, setExitCode) : overviewProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with code 0.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (ForgeError.isInstance(error)) {
      io.stderr.write(`forge: ${error.message}\n`);
      return error.code === 'usage' ? exitCodes.usage : exitCodes.failure;
    }
    if (isOutOfSpace(error)) {
      io.stderr.write(`forge: ${outOfSpaceMessage(error as Error)}\n`);
      return exitCodes.failure;
    }
    io.stderr.write(`forge: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodes.failure;
  }
}
