import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { verdictValues } from '@forge/schema';
import { defaultMinMargin, defaultPairBy, formatNames, pairByChoices, resolveFormats } from '@forge/transform';
import { type CliIo } from './cli-io.js';
import {
  type AuditOptions,
  type ReportOptions,
  type MergeOptions,
  type CheckTemplateOptions,
  type ExportOptions,
  type ExtensionsInstallOptions,
  type ExtractOptions,
  type InspectOptions,
  type CompareOptions,
  type EvalExtractOptions,
  type PairsOptions,
  type ReviewOptions,
  type RunOptions,
  type ScoreOptions,
  type StatsOptions,
  type SynthPlanOptions,
  type SynthRunOptions,
} from './commands/command-options.js';
import { listFlag, numberFlag } from './commands/option-parsers.js';
import { commandSummaries, forgeProgram } from './program-base.js';
import { formatChoices, runOptionRules } from './run/run-options.js';
import { sourceNames } from './sources/source-registry.js';

const collect = (value: string, previous: string[]) => [...previous, value];

const sourceOption = () => new Option('-s, --source <list>', `sources to read, comma-separated: ${sourceNames.join(',')} (default: all)`);
const rootOption = () =>
  new Option('-r, --root <dir>', 'read this home folder (its .claude, .pi, .omp, .codex, … folders) or one reader\'s folder as NAME=DIR (claude=DIR, pi=DIR, …); repeatable').default([]).argParser(collect);
const beadsOption = () => new Option('--beads <dir>', 'a beads store to score against (a .beads folder or one holding it), besides each session\'s nearest .beads/; repeatable').default([]).argParser(collect);
const gitOption = () => new Option('--git <dir>', 'a git repository to link commits from, besides the one holding each session\'s folder; repeatable').default([]).argParser(collect);
const minMarginOption = () => new Option('--min-margin <score>', `drop same-bead and same-type pairs whose score margin is below this (default ${defaultMinMargin})`).argParser(numberFlag(runOptionRules.minMargin));
const pairByOption = () =>
  new Option('--pair-by <list>', `which pairs to build, comma-separated: ${pairByChoices.join(',')} (same bead, sibling branches, same issue type across beads; default ${defaultPairBy.join(',')})`).argParser(
    listFlag(runOptionRules.pairBy),
  );
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
    .option('--format <list>', `formats to write, comma-separated: ${formatChoices.join(',')} (default: ${resolveFormats().map((format) => format.name).join(',')}; parquet adds Parquet shards of the row formats)`)
    .option('--shard <i/n>', 'process only shard i of n (a slice of the inputs by path hash); combine the shard folders with forge merge')
    .option('--parquet-shard-mb <size>', 'about how large a Parquet shard grows, in MB (default 100)', numberFlag(runOptionRules.parquetShardMb))
    .addOption(minMarginOption())
    .addOption(pairByOption())
    .option('--demo', 'run on the built-in demo corpus instead of this machine\'s sessions', false)
    .option('--keep-noise', 'keep harness noise (hook output, reminders, command wrappers) as context', false)
    .option('--system-prompt <keep|drop|file>', "the rows' system prompt: keep what each session recorded, drop it, or this text file's content instead (default keep)")
    .option('--validation-ratio <ratio>', 'share of sessions for val.jsonl, 0 to 1 (default 0.1)', numberFlag(runOptionRules.validationRatio))
    .option('--max-tokens <count>', 'token budget per row (default 32768)', numberFlag(runOptionRules.maxTokens))
    .addOption(new Option('--over-length <policy>', 'what to do with rows over the budget (default split)').choices(runOptionRules.overLength.options))
    .option('--tokenizer <file>', 'count tokens exactly with this local tokenizer.json (default: a fast estimate)')
    .option('--cache-dir <dir>', 'where the incremental state lives (default: $XDG_CACHE_HOME/forge or ~/.cache/forge)')
    .option('--full', 'ignore the incremental state and read every file again', false)
    .option('--jobs <n>', `threads that read and build rows (default: the available cores, ${availableParallelism()} here; 1 for inputs under 16 MB); the dataset is the same for every n`, numberFlag(runOptionRules.jobs))
    .option('--min-score <score>', 'leave out sessions scoring below this, 0 to 1 (listed in manifest.json\'s skipped)', numberFlag(runOptionRules.minScore))
    .addOption(beadsOption())
    .addOption(gitOption())
    .option('--no-score', 'do not score the sessions (no beads or git read; rows.jsonl carries score null)')
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
  forge run --min-score 0.5 --beads ~/gt/gastown/mayor/rig   keep sessions scoring 0.5 or more
  forge run --format messages,atif,parquet        messages as JSONL and Parquet shards, ATIF trajectories
  forge run --shard 1/2 --out shard-1             on one machine (and --shard 2/2 on another), then forge merge

Exit codes: 0 done, 3 done with warnings (the dataset is complete; see manifest.json), 1 failed, 2 bad usage.`,
    )
    .action(async (options: RunOptions) => {
      const { runCommand } = await import('./commands/run.js');
      setExitCode(await runCommand(options, io));
    });

  // What every command that scores outside a run reads besides the sessions (as forge run does).
  const scoringInputOptions = (command: Command, config = 'config file whose "scoring" block, beadsDirs and gitDirs apply (default: ./forge.config.json when present)'): Command =>
    command
      .addOption(beadsOption())
      .addOption(gitOption())
      .option('-c, --config <file>', config)
      .option('--cache-dir <dir>', 'where the state database with the verdicts lives (default: $XDG_CACHE_HOME/forge or ~/.cache/forge)');
  const scoreInputOptions = (command: Command): Command => scoringInputOptions(command.addOption(sourceOption()).addOption(rootOption())).addOption(quietOption());

  scoreInputOptions(
    program
      .command('score')
      .description(commandSummaries.score)
      .argument('[session-id|file...]', 'session ids (from the sources read) or session files; default every session'),
  )
    .option('--json', 'one JSON object per line per session: sessionId, source, file, score, outcome, signals, reasons, links, verdict', false)
    .option('--explain', 'each session\'s outcome with its evidence (file:line, commit), every signal and the reasons', false)
    .option('--record <session-id>', 'store a verdict for this session in the state database (overrides the score, survives re-runs)')
    .addOption(new Option('--verdict <verdict>', 'the verdict --record stores').choices(verdictValues))
    .option('--by <identity>', 'who judged (a Gas Town identity or a person), with --record')
    .option('--note <text>', 'why, with --record')
    .option('--export-verdicts <file>', 'write every recorded verdict as JSON Lines to FILE (- for stdout)')
    .option('--import-verdicts <file>', 'record the verdicts of a JSON Lines file (- for stdin); bad lines are warnings')
    .addHelpText(
      'after',
      `
Examples:
  forge score                                     every session, a table
  forge score --json | jq 'select(.score < 0.3) | .file'
  forge score --explain 2abac3df-d684-47f8-a874-6c853856a757
  forge score ~/.pi/agent/sessions/--home-me-app--/2026-08-10T09-15-02.481Z_7c1e4b2a.jsonl --git ~/app
  forge score --record 2abac3df-d684-47f8-a874-6c853856a757 --verdict bad --by gastown/witness --note "looped on npm test"
  forge score --export-verdicts verdicts.jsonl
  forge score --import-verdicts verdicts.jsonl

Exit codes: 0 done, 3 done with warnings (bad input lines, sessions not found), 1 failed, 2 bad usage.`,
    )
    .action(async (targets: string[], options: ScoreOptions) => {
      const { scoreCommand } = await import('./commands/score.js');
      setExitCode(await scoreCommand(targets, options, io));
    });

  scoreInputOptions(
    program
      .command('review')
      .description(commandSummaries.review)
      .argument('[session-id|file...]', 'session ids (from the sources read) or session files; default every session'),
  )
    .option('--json', 'one JSON object per line per session, as forge score --json', false)
    .addHelpText(
      'after',
      `
Examples:
  forge review --json | jq -r '.sessionId'
  forge review --source pi --root ~/gt-backup

Exit codes: 0 done, 3 done with warnings, 1 failed, 2 bad usage.`,
    )
    .action(async (targets: string[], options: ReviewOptions) => {
      const { reviewCommand } = await import('./commands/review.js');
      setExitCode(await reviewCommand(targets, options, io));
    });

  program
    .command('pairs')
    .description(commandSummaries.pairs)
    .addOption(sourceOption())
    .addOption(rootOption())
    .addOption(beadsOption())
    .addOption(gitOption())
    .option('-c, --config <file>', 'config file whose redaction and scoring blocks, beadsDirs, gitDirs, minMargin and pairBy apply, as for forge run (default: ./forge.config.json when present)')
    .addOption(minMarginOption())
    .addOption(pairByOption())
    .option('--json', 'one JSON object per pair on stdout', false)
    .addOption(quietOption())
    .addHelpText(
      'after',
      `
Examples:
  forge pairs                                    the pairs forge run --format dpo-trl would emit
  forge pairs --json --min-margin 0.2 | jq .     kind, bead, both sessions with scores, margin
  forge pairs --pair-by bead,branch,type         also pair closures and failures of different beads of one type`,
    )
    .action(async (options: PairsOptions) => {
      const { pairsCommand } = await import('./commands/pairs.js');
      setExitCode(await pairsCommand(options, io));
    });

  const evaluation = program.command('eval').description(commandSummaries.eval);
  scoringInputOptions(
    evaluation
      .command('extract')
      .description('one Harbor task per closed bead with a linked commit and per top-scoring patrol cycle (deacon, witness, refinery)')
      .addOption(sourceOption())
      .addOption(rootOption()),
    'config file whose "scoring" and "redaction" blocks, beadsDirs and gitDirs apply (default: ./forge.config.json when present)',
  )
    .requiredOption('-o, --out <dir>', 'output folder (replaced whole): tasks/<id>/ in Harbor\'s layout and eval/prompts/<id>.md')
    .option('--min-score <score>', 'only sessions scoring at least this (patrol cycles: at least 0.7 as well)', numberFlag(runOptionRules.minScore))
    .option('--role <list>', 'only sessions of these Gas Town roles, comma-separated (polecat, crew, deacon, witness, refinery, …)')
    .addOption(quietOption())
    .addHelpText(
      'after',
      `
Examples:
  forge eval extract --out ./scenarios                       every closed bead with a commit
  forge eval extract --out ./patrols --role deacon,witness   top-scoring patrol cycles only
  harbor run --path ./scenarios/tasks/gt-k3m9p --agent oracle  the reference solution passes its checks`,
    )
    .action(async (options: EvalExtractOptions) => {
      const { evalExtractCommand } = await import('./commands/eval-extract.js');
      setExitCode(await evalExtractCommand(options, io));
    });

  scoringInputOptions(program.command('compare').description(commandSummaries.compare).addOption(sourceOption()).addOption(rootOption()))
    .addOption(new Option('--by <dimension>', 'what to group sessions by').choices(['model', 'source', 'role', 'thinking']).makeOptionMandatory())
    .option('--prices <file>', 'JSON of USD per million input/output/cacheRead/cacheWrite tokens by model, for sessions whose transcript records no cost')
    .option('--json', 'the groups and notes as one JSON object on stdout', false)
    .addOption(quietOption())
    .addHelpText(
      'after',
      `
Examples:
  forge compare --by model                 pi with kimi vs qwen, Claude vs pi
  forge compare --by thinking --json       with and without reasoning
  forge compare --by model --prices prices.json   {"claude-sonnet-4-5": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}}`,
    )
    .action(async (options: CompareOptions) => {
      const { compareCommand } = await import('./commands/compare.js');
      setExitCode(await compareCommand(options, io));
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
    .option('--system-prompt <keep|drop|file>', "the rows' system prompt: keep the recorded one, drop it, or this text file's content (default keep)")
    .option('-c, --config <file>', 'config file whose redaction block and systemPrompt apply (default: ./forge.config.json when present)')
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
    .option('--jobs <n>', `threads that read the files (default: the available cores, ${availableParallelism()} here; 1 for inputs under 16 MB); the output is the same for every n`, numberFlag(runOptionRules.jobs))
    .addOption(new Option('--whole-sessions', 'read whole Sessions instead of the usage path (a check: both print the same)').default(false).hideHelp())
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

  const synth = program.command('synth').description(commandSummaries.synth);

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

  // The text must be a number; what numbers a batch takes is @forge/synth's rule (planSynthBatch).
  const number = numberFlag(z.number());
  synth
    .command('run')
    .description('run the real program in print mode for each role × thinking level × count, and keep its sessions tagged synthetic')
    .addOption(new Option('--harness <harness>', 'the program to run').choices(['pi', 'omp', 'pir']).makeOptionMandatory())
    .requiredOption('--role <roles>', 'Gas Town roles, comma-separated: mayor,deacon,witness,refinery,polecat,crew,dog')
    .option('--count <n>', 'runs per role and thinking level', number, 1)
    .option('--thinking <levels>', 'thinking levels to sweep, comma-separated: off,minimal,low,medium,high,xhigh (default: the program\'s own)')
    .option('--model <model>', 'model passed to the program')
    .option('--provider <provider>', 'provider passed to the program')
    .option('--tools <tools>', 'tools to enable, comma-separated, e.g. read,bash,edit,write,grep,find,ls')
    .option('--concurrency <k>', 'runs at once (default 1)', number)
    .option('--timeout <seconds>', 'kill a run after this long (default 600)', number)
    .option('--max-tokens <n>', 'token budget: start no run once finished runs used this many tokens', number)
    .option('--max-runs <n>', 'run budget: start at most this many runs', number)
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
    .description(commandSummaries.extensions)
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
    .description(commandSummaries.audit)
    .argument('<dataset-folder>', 'a folder forge run wrote (every .jsonl under it, the manifest, the card and report.html included)')
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

  program
    .command('merge')
    .description(commandSummaries.merge)
    .argument('<shard-folder...>', 'the folders forge run --shard i/n wrote: every shard of one run, once')
    .requiredOption('-o, --out <dir>', 'the dataset folder to write')
    .option('-c, --config <file>', 'config file whose "redaction" block the shards ran with (default: ./forge.config.json when present)')
    .addOption(quietOption())
    .addHelpText('after', `
Examples:
  forge run --shard 1/2 --out shard-1 && forge run --shard 2/2 --out shard-2
  forge merge shard-1 shard-2 --out ./forge-dataset`)
    .action(async (folders: string[], options: MergeOptions) => {
      const { mergeCommand } = await import('./commands/merge.js');
      setExitCode(await mergeCommand(folders, options, io));
    });

  program
    .command('check-template')
    .description(commandSummaries['check-template'])
    .argument('<template>', 'the model\'s chat_template.jinja, or its tokenizer_config.json (its chat_template, bos_token, eos_token)')
    .argument('[dataset]', 'a folder forge run wrote with the messages format, or a messages JSONL file', 'forge-dataset')
    .option('--tokenizer <file>', 'the model\'s tokenizer.json: exact token counts of every rendered row')
    .option('--json', 'the report as one JSON object', false)
    .addHelpText('after', `
Examples:
  forge check-template ~/models/Qwen3-8B/tokenizer_config.json ./forge-dataset
  forge check-template chat_template.jinja ./forge-dataset/messages/train.jsonl --tokenizer ~/models/Qwen3-8B/tokenizer.json

Exit codes: 0 every row renders whole (losses the template makes by design aside), 1 a row fails or loses something, 2 bad usage.`)
    .action(async (template: string, dataset: string, options: CheckTemplateOptions) => {
      const { checkTemplateCommand } = await import('./commands/check-template.js');
      setExitCode(await checkTemplateCommand(template, dataset, options, io));
    });

  program
    .command('report')
    .description(commandSummaries.report)
    .argument('<dataset-folder>', 'a folder forge run wrote (the one holding manifest.json)')
    .option('-o, --out <file>', 'write the page here instead of <dataset-folder>/report.html')
    .addHelpText('after', `
Examples:
  forge report ./forge-dataset                   then open ./forge-dataset/report.html
  forge report ./forge-dataset --out /tmp/report.html`)
    .action(async (folder: string, options: ReportOptions) => {
      const { reportCommand } = await import('./commands/report.js');
      setExitCode(await reportCommand(folder, options, io));
    });

  return program;
}

