import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { writeJsonLines } from '../render/write-json-lines.js';
import { type ExtractOptions } from './command-options.js';
import { loadSessions } from './load-sessions.js';

/** `forge extract`: canonical sessions as JSON Lines, one Session per line. */
export async function extractCommand(options: ExtractOptions, io: CliIo): Promise<ExitCode> {
  const collected = await loadSessions(options, io);
  if (options.out == null) {
    await writeJsonLines(io.stdout, collected.sessions);
  } else {
    const stream = createWriteStream(resolve(io.cwd, options.out));
    await writeJsonLines(stream, collected.sessions);
    stream.end();
    await finished(stream);
    if (!options.quiet) io.stderr.write(`wrote ${collected.sessions.length} sessions to ${options.out}\n`);
  }
  const warnings = collected.sessions.reduce((total, session) => total + session.warnings.length, 0) + collected.fileWarnings.length;
  if (!options.quiet && warnings > 0) io.stderr.write(`${warnings} warnings (see each session's "warnings")\n`);
  return warnings > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
}
