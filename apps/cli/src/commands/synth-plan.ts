import { parseTargetShares, planRoleGaps, type DistributionRow } from '@forge/synth';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { renderTable } from '../render/table.js';
import { type SynthPlanOptions } from './command-options.js';
import { loadSessions } from './load-sessions.js';

/** `forge synth plan`: today's sessions by Gas Town role against a target, and what to generate. */
export async function synthPlanCommand(options: SynthPlanOptions, io: CliIo): Promise<ExitCode> {
  const target = options.target == null ? undefined : parseTargetShares(options.target);
  const collected = await loadSessions(options, io);
  const plan = planRoleGaps(collected.sessions, target == null ? {} : { target });
  if (options.json) {
    io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return exitCodes.ok;
  }
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
  io.stdout.write(`${plan.sessions} sessions; target ${plan.targetSource === 'default' ? 'even over the roles present' : 'as given'}\n\n`);
  io.stdout.write(
    renderTable(
      ['role', 'sessions', 'assistant turns', 'share', 'target', 'to generate'],
      plan.roles.map((row) => [row.role, row.sessions, row.assistantTurns, percent(row.share), percent(row.targetShare), row.toGenerate]),
    ),
  );
  for (const [title, rows] of [['role (all sessions)', plan.byRole], ['thinking', plan.byThinking], ['harness', plan.byHarness], ['model', plan.byModel]] as const) {
    io.stdout.write(`\n${renderTable([title, 'sessions', 'assistant turns', 'share'], rows.map((row: DistributionRow) => [row.key, row.sessions, row.assistantTurns, percent(row.share)]))}`);
  }
  for (const note of plan.notes) io.stdout.write(`\nnote: ${note}\n`);
  const commands = plan.roles.filter((row) => row.toGenerate > 0).map((row) => `  forge synth run --harness pi --role ${row.role} --count ${row.toGenerate}`);
  if (commands.length > 0) io.stdout.write(`\nto fill the gaps:\n${commands.join('\n')}\n`);
  return exitCodes.ok;
}
