import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { type ExtractOptions } from './command-options.js';
import { sessionJsonPieces } from '@forge/state';
import { loadSessions } from './load-sessions.js';

/** `forge extract`: canonical sessions as JSON Lines, one Session per line, streamed as they are read. */
export async function extractCommand(options: ExtractOptions, io: CliIo): Promise<ExitCode> {
  const stream: Writable = options.out == null ? io.stdout : createWriteStream(resolve(io.cwd, options.out));
  const collected = await loadSessions(options, io, async (session) => {
    // In pieces: the session of a huge transcript is longer than the longest string V8 can make.
    for (const piece of sessionJsonPieces(session)) if (!stream.write(piece)) await once(stream, 'drain');
    if (!stream.write('\n')) await once(stream, 'drain');
  });
  if (options.out != null) {
    stream.end();
    await finished(stream);
    if (!options.quiet) io.stderr.write(`wrote ${collected.sessionCount} sessions to ${options.out}\n`);
  }
  const warnings = collected.sessionWarnings + collected.fileWarnings.length;
  if (!options.quiet && warnings > 0) io.stderr.write(`${warnings} warnings (see each session's "warnings")\n`);
  return warnings > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
}
