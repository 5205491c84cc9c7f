import { join, resolve } from 'node:path';
import {
  defaultBatchId,
  planSynthBatch,
  runSynthBatch,
  splitList,
  SynthError,
  type SynthBatchOptions,
  type SynthRole,
  type ThinkingLevel,
} from '@forge/synth';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { renderTable } from '../render/table.js';
import { writeJsonLines } from '../render/write-json-lines.js';
import { type SynthRunOptions } from './command-options.js';

/** `forge synth run`: generate sessions of Gas Town roles with the real pi/omp/pir in print mode. */
export async function synthRunCommand(options: SynthRunOptions, io: CliIo): Promise<ExitCode> {
  const batchId = defaultBatchId();
  const batch: SynthBatchOptions = {
    harness: options.harness,
    roles: splitList(options.role) as SynthRole[],
    count: options.count,
    ...(options.thinking == null ? {} : { thinking: splitList(options.thinking) as ThinkingLevel[] }),
    ...(options.model == null ? {} : { model: options.model }),
    ...(options.provider == null ? {} : { provider: options.provider }),
    ...(options.tools == null ? {} : { tools: splitList(options.tools) }),
    ...(options.concurrency == null ? {} : { concurrency: options.concurrency }),
    ...(options.timeout == null ? {} : { timeoutSeconds: options.timeout }),
    ...(options.maxTokens == null ? {} : { maxTokens: options.maxTokens }),
    ...(options.maxRuns == null ? {} : { maxRuns: options.maxRuns }),
    ...(options.cwd == null ? {} : { cwd: resolve(io.cwd, options.cwd) }),
    out: resolve(io.cwd, options.out ?? join('forge-synth', batchId)),
    ...(options.program == null ? {} : { command: [options.program] }),
    ...(options.templates == null ? {} : { templateDir: resolve(io.cwd, options.templates) }),
    variables: parseVariables(options.var),
    env: io.env,
  };

  if (options.dryRun) {
    const plan = await planSynthBatch(batch, { batchId });
    await writeJsonLines(io.stdout, plan.runs.map((run) => ({ runId: run.runId, role: run.role, task: run.task, thinking: run.thinking, cwd: run.cwd, argv: run.argv })));
    return exitCodes.ok;
  }

  // Runs sit in their own process groups, out of reach of the terminal's Ctrl-C: the first one
  // stops the batch (runs killed, manifest still written), a second one ends forge as usual.
  const interrupt = new AbortController();
  const onInterrupt = () => {
    io.stderr.write('interrupted: stopping the runs and writing the manifest (Ctrl-C again to quit at once)\n');
    interrupt.abort();
  };
  process.once('SIGINT', onInterrupt);
  let result;
  try {
    result = await runSynthBatch(batch, {
      batchId,
      signal: interrupt.signal,
      onRunDone: (report, done, planned) => {
        if (!options.quiet) io.stderr.write(`[${done}/${planned}] ${report.runId} ${report.status}${report.reason == null ? '' : `: ${report.reason}`}\n`);
      },
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  const { manifest } = result;
  if (options.json) {
    io.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  } else {
    io.stdout.write(renderTable(['run', 'task', 'status', 'sessions', 'tokens', 'seconds'], manifest.runs.map((run) => [run.runId, run.task, run.status, run.sessionIds.length, run.tokens, Math.round(run.durationMs / 1000)])));
    for (const run of manifest.runs.filter((report) => report.stderrTail != null && report.stderrTail !== '')) {
      io.stdout.write(`\n${run.runId} ${run.status} (${run.reason ?? ''}), stderr ends:\n${run.stderrTail!.trimEnd()}\n`);
    }
    if (manifest.stoppedBy != null) io.stdout.write(`\nstopped early: ${manifest.stoppedBy}\n`);
    io.stdout.write(`\n${manifest.totals.sessions} sessions from ${manifest.totals.ok} of ${manifest.totals.planned} runs in ${result.out} (sessions.jsonl, manifest.json)\n`);
  }
  return manifest.totals.ok === manifest.totals.planned ? exitCodes.ok : exitCodes.doneWithWarnings;
}

/** `--var name=value`, repeatable. */
function parseVariables(pairs: readonly string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new SynthError({ message: `bad --var ${JSON.stringify(pair)}`, code: 'usage', hint: 'write --var name=value' });
    variables[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return variables;
}
