import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compareGroups } from '@forge/eval';
import { ForgeError, safeParseModelPrices, type ModelPrices } from '@forge/schema';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { renderTable } from '../render/table.js';
import { type CompareOptions } from './command-options.js';
import { loadSessions } from './load-sessions.js';
import { scoreAsConfigured } from './score-selection.js';

const percent = (value: number | null): string => (value == null ? '-' : `${(value * 100).toFixed(1)}%`);

/** `forge compare --by model|source|role|thinking [--prices FILE]`: outcome figures per group, from the sessions' scores. */
export async function compareCommand(flags: CompareOptions, io: CliIo): Promise<ExitCode> {
  // Read first: a bad prices file stops the command before any session is read.
  const prices = flags.prices == null ? undefined : await readPrices(resolve(io.cwd, flags.prices));
  const { sessions } = await loadSessions(flags, io);
  const { scores } = await scoreAsConfigured(sessions, flags, io);
  const result = compareGroups(sessions, scores, flags.by, prices == null ? {} : { prices });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return exitCodes.ok;
  }
  io.stdout.write(
    renderTable(
      [flags.by, 'sessions', 'beads', 'first-try closure (95% CI)', 'tool errors', 'tokens/closed bead', 'USD/closed bead', 'median turns'],
      result.groups.map((group) => [
        group.group,
        group.sessions,
        group.beadsAttempted,
        group.firstTryClosureInterval == null ? '-' : `${percent(group.firstTryClosureRate)} (${percent(group.firstTryClosureInterval.low)}–${percent(group.firstTryClosureInterval.high)}) of ${group.firstAttempts}`,
        percent(group.toolErrorRate),
        group.tokensPerClosedBead ?? '-',
        group.costPerClosedBead != null ? `$${group.costPerClosedBead.toFixed(4)}` : group.costUnknownSessions > 0 ? `unknown (${group.costUnknownSessions} sessions)` : '-',
        group.medianTurns,
      ]),
    ),
  );
  for (const note of result.notes) io.stdout.write(`note: ${note}\n`);
  return exitCodes.ok;
}

const pricesHint = 'USD per million tokens by model id: {"claude-sonnet-4-5": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}}';

/** The `--prices` file: a `ModelPrices` JSON object (USD per million tokens by model). */
async function readPrices(path: string): Promise<ModelPrices> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ForgeError({ message: `cannot read the prices file: ${(error as Error).message}`, code: 'usage', location: { file: path }, hint: pricesHint, cause: error });
  }
  const parsed = safeParseModelPrices(value);
  if (!parsed.success) throw new ForgeError({ message: parsed.error.message, code: 'usage', location: { file: path }, hint: pricesHint, cause: parsed.error });
  return parsed.data;
}
