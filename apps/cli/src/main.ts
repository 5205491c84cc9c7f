import { Command, CommanderError, Option } from 'commander';
import { ForgeError } from '@forge/schema';
import { type CliIo, exitCodes, processIo } from './cli-io.js';
import { type AuditOptions, type ExportOptions, type ExtensionsInstallOptions, type ExtractOptions, type InspectOptions, type RunOptions, type StatsOptions, type SynthPlanOptions, type SynthRunOptions } from './commands/command-options.js';
import { FORGE_VERSION } from './version.js';

const collect = (value: string, previous: string[]) => [...previous, value];

const sourceOption = () => new Option('-s, --source <list>', 'sources to read, comma-separated: claude,pir,pi,omp (default: all)');
const rootOption = () =>
  new Option('-r, --root <dir>', 'read this home folder (its .claude, .pi, .omp) or one reader\'s folder as claude=DIR / pi=DIR; repeatable').default([]).argParser(collect);
const quietOption = () => new Option('-q, --quiet', 'no progress or summary on stderr').default(false);

/** Builds the command tree; each action loads its command module lazily so `--help` stays fast. */
function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('forge')
    .description('Turn coding-agent sessions (Claude Code, pir, pi, omp) into clean, scored, secret-free fine-tuning datasets.')
    .version(FORGE_VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride();

  program
    .command('run')
    .description('the whole pipeline: read every source, clean, redact, dedupe, split and write the dataset')
    .addOption(sourceOption())
    .addOption(rootOption())
    .option('-o, --out <dir>', 'output folder (default: ./forge-dataset)')
    .option('-c, --config <file>', 'config file (default: ./forge.config.json when present)')
    .option('--format <list>', 'formats to write, comma-separated: sharegpt,openai,messages (default: all)')
    .option('--demo', 'run on the built-in demo corpus instead of this machine\'s sessions', false)
    .option('--keep-noise', 'keep harness noise (hook output, reminders, command wrappers) as context', false)
    .option('--validation-ratio <ratio>', 'share of sessions for val.jsonl (default 0.1)', Number.parseFloat)
    .option('--max-tokens <count>', 'token budget per row (default 32768)', (value) => Number.parseInt(value, 10))
    .addOption(new Option('--over-length <policy>', 'what to do with rows over the budget').choices(['split', 'drop']))
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
    .description('write canonical sessions as JSON Lines (one Session per line)')
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
    .description('turn one session file into training records of one format')
    .argument('<file>', 'a session .jsonl file (Claude Code, pir, pi or omp)')
    .addOption(new Option('-f, --format <format>', 'record format').choices(['sharegpt', 'openai', 'messages']).makeOptionMandatory())
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
    .description('a table of sessions by source, Gas Town role and model: turns, tool calls, tool errors, tokens')
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
    .description('show what forge sees in one session file, warnings included')
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

  const synth = program.command('synth').description('fill Gas Town role gaps with generated sessions (real pi/omp/pir runs in print mode)');

  synth
    .command('plan')
    .description("today's sessions by Gas Town role (and thinking, harness, model) against a target, and how many of each role to generate")
    .addOption(sourceOption())
    .addOption(rootOption())
    .option('--target <shares>', 'wanted share per role, e.g. witness=0.2,polecat=0.5 (default: even over the roles present)')
    .option('--json', 'the plan as JSON', false)
    .addOption(quietOption())
    .addHelpText('after', `
Examples:
  forge synth plan
  forge synth plan --target witness=1,refinery=1,polecat=3 --json`)
    .action(async (options: SynthPlanOptions) => {
      const { synthPlanCommand } = await import('./commands/synth-plan.js');
      setExitCode(await synthPlanCommand(options, io));
    });

  const integer = (value: string) => Number.parseInt(value, 10);
  synth
    .command('run')
    .description('run the real program in print mode for each role × thinking level × count, and keep its sessions tagged synthetic')
    .addOption(new Option('--harness <harness>', 'the program to run').choices(['pi', 'omp', 'pir']).makeOptionMandatory())
    .requiredOption('--role <roles>', 'Gas Town roles, comma-separated: mayor,deacon,witness,refinery,polecat,crew,dog')
    .option('--count <n>', 'runs per role and thinking level', integer, 1)
    .option('--thinking <levels>', 'thinking levels to sweep, comma-separated: off,minimal,low,medium,high,xhigh (default: the program\'s own)')
    .option('--model <model>', 'model passed to the program')
    .option('--provider <provider>', 'provider passed to the program')
    .option('--tools <tools>', 'tools to enable, comma-separated, e.g. read,bash,edit,write,grep,find,ls')
    .option('--concurrency <k>', 'runs at once (default 1)', integer)
    .option('--timeout <seconds>', 'kill a run after this long (default 600)', Number.parseFloat)
    .option('--max-tokens <n>', 'token budget: start no run once finished runs used this many tokens', integer)
    .option('--max-runs <n>', 'run budget: start at most this many runs', integer)
    .option('--cwd <dir>', 'run every program in this folder instead of a fresh Gas Town-shaped temp folder per run')
    .option('-o, --out <dir>', 'output folder, empty or new (default: ./forge-synth/<batch id>)')
    .option('--program <path>', 'the program to start (default: the harness name on PATH)')
    .option('--templates <dir>', 'read role templates only from this folder (default: ~/.config/forge/synth-templates, then the built-in ones)')
    .option('--var <name=value>', 'set a template variable; repeatable', collect, [])
    .option('--dry-run', 'print each run (its argv array and cwd) as JSON Lines and run nothing', false)
    .option('--json', 'print the manifest as JSON', false)
    .addOption(quietOption())
    .addHelpText('after', `
Examples:
  forge synth run --harness pi --role witness,refinery --count 4 --dry-run
  forge synth run --harness pi --role polecat --count 10 --thinking off,high --model claude-sonnet-4-5 --max-tokens 2000000
  forge synth run --harness omp --role witness --count 2 --var rig=gastown --out ./synth/witness

Exit codes: 0 every run gave a session, 3 some runs failed, timed out or were skipped (see manifest.json), 1 failed, 2 bad usage.`)
    .action(async (options: SynthRunOptions) => {
      const { synthRunCommand } = await import('./commands/synth-run.js');
      setExitCode(await synthRunCommand(options, io));
    });

  program
    .command('extensions')
    .description("forge's pi/omp extensions: training-capture and outcome-tagging")
    .command('install')
    .description('put the extensions where pi or omp loads them (pi: ~/.pi/agent/extensions, omp: ~/.omp/agent/extensions)')
    .addOption(new Option('--harness <harness>', 'the program that loads them').choices(['pi', 'omp']).makeOptionMandatory())
    .option('--dir <dir>', 'install into this folder instead (e.g. a project\'s .pi/extensions)')
    .addHelpText('after', `
Examples:
  forge extensions install --harness pi
  forge extensions install --harness omp --dir ./.omp/extensions`)
    .action(async (options: ExtensionsInstallOptions) => {
      const { extensionsInstallCommand } = await import('./commands/extensions-install.js');
      setExitCode(await extensionsInstallCommand(options, io));
    });

  program
    .command('audit')
    .description('scan a dataset folder with the redaction rules and report what is left, by file, row and field (exit 1 when anything is found)')
    .argument('<dataset-folder>', 'a folder forge run wrote (every .jsonl under it, the manifest included)')
    .option('-c, --config <file>', 'config file whose "redaction" block applies (default: ./forge.config.json when present)')
    .option('--json', 'the report as one JSON object', false)
    .addHelpText('after', `
Examples:
  forge audit ./forge-dataset                    last gate before sharing a dataset
  forge audit ./forge-dataset --json | jq '.findings[] | {file, row, field, rule}'

Exit codes: 0 nothing found, 1 findings (or a failure), 2 bad usage.`)
    .action(async (folder: string, options: AuditOptions) => {
      const { auditCommand } = await import('./commands/audit.js');
      setExitCode(await auditCommand(folder, options, io));
    });

  return program;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. The only place
 * that maps errors to exit codes.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
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
    io.stderr.write(`forge: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodes.failure;
  }
}
