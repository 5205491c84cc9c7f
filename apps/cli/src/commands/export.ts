import { createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { exportSession } from '@forge/transform';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { loadConfig } from '../config/load-config.js';
import { redactionOptions } from '../config/redaction-options.js';
import { resolveSystemPrompt } from '../run/system-prompt-option.js';
import { readSessionFile } from '../sources/source-registry.js';
import { type ExportOptions } from './command-options.js';

/** `forge export FILE --format F`: one session file to redacted training records. */
export async function exportCommand(file: string, options: ExportOptions, io: CliIo): Promise<ExitCode> {
  const path = resolve(io.cwd, file);
  // forge.config.json's redaction block applies here as in `forge run` (a bad block stops before reading).
  const { config, path: configPath } = loadConfig(io.cwd, options.config);
  const redaction = { ...redactionOptions(config, configPath, io.env, io.cwd), homeDirectory: io.env.HOME ?? homedir() };
  const systemPrompt = (await resolveSystemPrompt(options.systemPrompt ?? config.systemPrompt ?? 'keep', io.cwd)).policy;
  const { sessions, fileWarnings } = await readSessionFile(path);
  const lines: string[] = [];
  const skipped: string[] = [];
  for (const session of sessions) {
    const exported = await exportSession(session, options.format, {
      noise: options.keepNoise ? 'keep' : 'drop',
      systemPrompt,
      redaction,
    });
    lines.push(...exported.lines);
    skipped.push(...exported.manifest.skipped.map((item) => `${item.ref}: ${item.reason}`));
  }
  const text = lines.map((line) => `${line}\n`).join('');
  if (options.out == null) {
    io.stdout.write(text);
  } else {
    const stream = createWriteStream(resolve(io.cwd, options.out));
    stream.end(text);
    await finished(stream);
  }
  if (!options.quiet) {
    io.stderr.write(`${lines.length} ${options.format} rows from ${sessions.length} sessions${options.out == null ? '' : ` to ${options.out}`}\n`);
    for (const reason of skipped) io.stderr.write(`skipped ${reason}\n`);
  }
  const warnings = fileWarnings.length + sessions.reduce((total, session) => total + session.warnings.length, 0);
  return warnings > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
}
