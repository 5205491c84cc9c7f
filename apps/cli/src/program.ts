import { Option, type Command } from 'commander';
import { formatNames } from '@forge/transform';
import { type CliIo } from './cli-io.js';
import { type ExportOptions, type ExtractOptions, type InspectOptions, type RunOptions, type StatsOptions } from './commands/command-options.js';
import { numberFlag } from './commands/option-parsers.js';
import { commandSummaries, forgeProgram } from './program-base.js';
import { runOptionRules } from './run/run-options.js';
import { sourceNames } from './sources/source-registry.js';

const collect = (value: string, previous: string[]) => [...previous, value];

const sourceOption = () => new Option('-s, --source <list>', `sources to read, comma-separated: ${sourceNames.join(',')} (default: all)`);
const rootOption = () =>
  new Option('-r, --root <dir>', 'read this home folder (its .claude, .pi, .omp) or one reader\'s folder as NAME=DIR (claude=DIR, pi=DIR, …); repeatable').default([]).argParser(collect);
const quietOption = () => new Option('-q, --quiet', 'no progress or summary on stderr').default(false);

/**
 * The whole command tree, with every option and its check (the source and format names come from
 * the registries); each action loads its command module only when it runs.
 */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = forgeProgram(io);

  program
    .command('run')
    .description(commandSummaries.run)
    .addOption(sourceOption())
    .addOption(rootOption())
    .option('-o, --out <dir>', 'output folder (default: ./forge-dataset)')
    .option('-c, --config <file>', 'config file (default: ./forge.config.json when present)')
    .option('--format <list>', `formats to write, comma-separated: ${formatNames.join(',')} (default: all)`)
    .option('--demo', 'run on the built-in demo corpus instead of this machine\'s sessions', false)
    .option('--keep-noise', 'keep harness noise (hook output, reminders, command wrappers) as context', false)
    .option('--validation-ratio <ratio>', 'share of sessions for val.jsonl, 0 to 1 (default 0.1)', numberFlag(runOptionRules.validationRatio))
    .option('--max-tokens <count>', 'token budget per row (default 32768)', numberFlag(runOptionRules.maxTokens))
    .addOption(new Option('--over-length <policy>', 'what to do with rows over the budget (default split)').choices(runOptionRules.overLength.options))
    .option('--tokenizer <file>', 'count tokens exactly with this local tokenizer.json (default: a fast estimate)')
    .option('--cache-dir <dir>', 'where the incremental state lives (default: $XDG_CACHE_HOME/forge or ~/.cache/forge)')
    .option('--full', 'ignore the incremental state and read every file again', false)
    .option('--json', 'print the manifest summary as JSON on stdout', false)
    .addOption(quietOption())
    .addHelpText(
      'after',
      `
Examples:
  forge run --demo --out ./demo-dataset          try it on the built-in corpus
  forge run --out ./dataset                      every source in its default location
  forge run --source claude --root ~/.claude-accounts/alice --out ./alice
  forge run --root pi=/mnt/backup/pi-sessions --format sharegpt --max-tokens 16384

Exit codes: 0 done, 3 done with warnings (the dataset is complete; see manifest.json), 1 failed, 2 bad usage.`,
    )
    .action(async (options: RunOptions) => {
      const { runCommand } = await import('./commands/run.js');
      setExitCode(await runCommand(options, io));
    });

  program
    .command('extract')
    .description(commandSummaries.extract)
    .addOption(sourceOption())
    .addOption(rootOption())
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .addOption(quietOption())
    .addHelpText('after', `
Examples:
  forge extract > sessions.jsonl
  forge extract --source pir,omp --out pi-sessions.jsonl
  forge extract --root ./backup-home | jq -r '.id'`)
    .action(async (options: ExtractOptions) => {
      const { extractCommand } = await import('./commands/extract.js');
      setExitCode(await extractCommand(options, io));
    });

  program
    .command('export')
    .description(commandSummaries.export)
    .argument('<file>', 'a session .jsonl file (Claude Code, pir, pi or omp)')
    .addOption(new Option('-f, --format <format>', 'record format').choices(formatNames).makeOptionMandatory())
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .option('--keep-noise', 'keep harness noise as context', false)
    .addOption(quietOption())
    .addHelpText('after', `
Examples:
  forge export ~/.pi/agent/sessions/--home-me-app--/2026-08-10T09-15-02.481Z_7c1e4b2a.jsonl --format sharegpt
  forge export session.jsonl --format messages --out rows.jsonl`)
    .action(async (file: string, options: ExportOptions) => {
      const { exportCommand } = await import('./commands/export.js');
      setExitCode(await exportCommand(file, options, io));
    });

  program
    .command('stats')
    .description(commandSummaries.stats)
    .addOption(sourceOption())
    .addOption(rootOption())
    .option('--json', 'one JSON object per session instead of the table', false)
    .addOption(quietOption())
    .addHelpText('after', `
Examples:
  forge stats
  forge stats --source claude --json | jq -s 'map(.usage.output) | add'`)
    .action(async (options: StatsOptions) => {
      const { statsCommand } = await import('./commands/stats.js');
      setExitCode(await statsCommand(options, io));
    });

  program
    .command('inspect')
    .description(commandSummaries.inspect)
    .argument('<file>', 'a session .jsonl file')
    .option('--json', 'the sessions and warnings as JSON', false)
    .addHelpText('after', `
Examples:
  forge inspect ~/.claude/projects/-home-me-app/2abac3df-d684-47f8-a874-6c853856a757.jsonl
  forge inspect broken.jsonl --json | jq '.sessions[].warnings'`)
    .action(async (file: string, options: InspectOptions) => {
      const { inspectCommand } = await import('./commands/inspect.js');
      setExitCode(await inspectCommand(file, options, io));
    });

  return program;
}

