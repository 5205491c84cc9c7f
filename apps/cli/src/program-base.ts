import { Command } from 'commander';
import { type CliIo } from './cli-io.js';
import { FORGE_VERSION } from './version.js';

/** What each command does, in one line: the overview and the full command tree both show these. */
export const commandSummaries = {
  run: 'the whole pipeline: read every source, clean, redact, dedupe, split and write the dataset',
  pairs: 'list the preference pairs (and KTO singles) forge would emit: kind, bead, both sessions and scores, margin; nothing written',
  eval: 'evaluation scenarios from outcomes: Harbor tasks from closed beads and top patrol cycles',
  compare: 'compare groups of sessions (model, source, role, thinking) by outcome: first-try closure with a 95% interval, tool errors, tokens per closed bead, turns',
  extract: 'write canonical sessions as JSON Lines (one Session per line)',
  export: 'turn one session file into training records of one format',
  stats: 'a table of sessions by source, Gas Town role and model: turns, tool calls, tool errors, tokens',
  inspect: 'show what forge sees in one session file, warnings included',
  synth: 'fill Gas Town role gaps with generated sessions (real pi/omp/pir runs in print mode)',
  extensions: "forge's pi/omp extensions: training-capture and outcome-tagging",
  score: "score sessions by their outcome (beads, commits, code survival) and heuristics, with the reasons; record curation verdicts",
  review: 'list the sessions a patrol should judge: no outcome, no verdict, a score near the threshold',
  'check-template': 'render every messages row with a model\'s chat template and report rows that fail or lose reasoning, tool calls or tool results (exact token counts with --tokenizer)',
  merge: 'combine the folders of forge run --shard i/n into one dataset (duplicates across shards removed, one manifest)',
  report: 'draw a dataset folder\'s report.html (plots of its manifest: sources, roles, models, tokens, redactions, skipped) again',
  audit: 'scan a dataset folder with the redaction rules and report what is left, by file, row and field (exit 1 when anything is found)',
} as const;

/** The `forge` program without its commands: name, description, version, output through `io`. */
export function forgeProgram(io: CliIo): Command {
  return new Command('forge')
    .description('Turn coding-agent sessions (Claude Code, pir, pi, omp) into clean, scored, secret-free fine-tuning datasets.')
    .version(FORGE_VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride();
}
