import { compareGroups } from '@forge/eval';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { renderTable } from '../render/table.js';
import { scoreSessions } from '../run/score-sessions.js';
import { type CompareOptions } from './command-options.js';
import { loadSessions } from './load-sessions.js';

const percent = (value: number | null): string => (value == null ? '-' : `${(value * 100).toFixed(1)}%`);

/** `forge compare --by model|source|role|thinking`: outcome figures per group, from the sessions' scores. */
export async function compareCommand(flags: CompareOptions, io: CliIo): Promise<ExitCode> {
  const { sessions } = await loadSessions(flags, io);
  const { scores } = await scoreSessions(sessions, { env: io.env, cwd: io.cwd });
  const result = compareGroups(sessions, scores, flags.by);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return exitCodes.ok;
  }
  io.stdout.write(
    renderTable(
      [flags.by, 'sessions', 'beads', 'first-try closure (95% CI)', 'tool errors', 'tokens/closed bead', 'median turns'],
      result.groups.map((group) => [
        group.group,
        group.sessions,
        group.beadsAttempted,
        group.firstTryClosureInterval == null ? '-' : `${percent(group.firstTryClosureRate)} (${percent(group.firstTryClosureInterval.low)}–${percent(group.firstTryClosureInterval.high)}) of ${group.firstAttempts}`,
        percent(group.toolErrorRate),
        group.tokensPerClosedBead ?? '-',
        group.medianTurns,
      ]),
    ),
  );
  for (const note of result.notes) io.stdout.write(`note: ${note}\n`);
  return exitCodes.ok;
}
