import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { locateSessionLines } from '@forge/extract-outcomes';
import { ForgeError, safeParseVerdict, type LinkEvidence, type SessionScore, type SessionWarning, type Verdict } from '@forge/schema';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { formatWarning } from '../render/format-warning.js';
import { renderTable } from '../render/table.js';
import { writeJsonLines } from '../render/write-json-lines.js';
import { type ScoreOptions } from './command-options.js';
import { scoreSelection, withStateStore } from './score-selection.js';

/**
 * `forge score`: each session's score with its outcome, signals and reasons (a table, JSON Lines,
 * or `--explain`); `--record` stores a verdict, `--export-verdicts`/`--import-verdicts` move them
 * as JSON Lines.
 */
export async function scoreCommand(targets: string[], options: ScoreOptions, io: CliIo): Promise<ExitCode> {
  if (options.record != null) return recordVerdict(options.record, options, io);
  if (options.verdict != null || options.by != null || options.note != null) throw usage('--verdict, --by and --note go with --record <session-id>');
  if (options.exportVerdicts != null) return exportVerdicts(options.exportVerdicts, options, io);
  if (options.importVerdicts != null) return importVerdicts(options.importVerdicts, options, io);

  const selection = await scoreSelection(targets, options, io);
  if (!options.quiet) for (const warning of selection.warnings) io.stderr.write(`warning: ${formatWarning(warning)}\n`);
  if (options.json) await writeJsonLines(io.stdout, selection.scores);
  else if (options.explain) for (const score of selection.scores) io.stdout.write(await explain(score));
  else io.stdout.write(scoreTable(selection.scores));
  return selection.badInput ? exitCodes.doneWithWarnings : exitCodes.ok;
}

function usage(message: string): ForgeError {
  return new ForgeError({ message, code: 'usage', hint: 'see `forge score --help`' });
}

async function recordVerdict(sessionId: string, options: ScoreOptions, io: CliIo): Promise<ExitCode> {
  if (options.verdict == null) throw usage('--record needs --verdict good|bad|skip');
  const verdict: Verdict = {
    sessionId,
    verdict: options.verdict,
    ...(options.by == null ? {} : { by: options.by }),
    ...(options.note == null ? {} : { note: options.note }),
    at: new Date().toISOString(),
  };
  await withStateStore(options, io, (store) => store.recordVerdicts([verdict]));
  if (!options.quiet) io.stderr.write(`recorded ${verdict.verdict} for ${sessionId}${verdict.by == null ? '' : ` by ${verdict.by}`}\n`);
  if (options.json) await writeJsonLines(io.stdout, [verdict]);
  return exitCodes.ok;
}

/** Every recorded verdict as JSON Lines (one `Verdict` per line, by session id) to FILE, or stdout for `-`. */
async function exportVerdicts(file: string, options: ScoreOptions, io: CliIo): Promise<ExitCode> {
  const verdicts = await withStateStore(options, io, (store) => [...store.verdicts().values()]);
  const text = verdicts.map((verdict) => `${JSON.stringify(verdict)}\n`).join('');
  if (file === '-') io.stdout.write(text);
  else await writeFile(resolve(io.cwd, file), text);
  if (!options.quiet) io.stderr.write(`exported ${verdicts.length} verdict${verdicts.length === 1 ? '' : 's'}\n`);
  return exitCodes.ok;
}

/** Records the verdicts of a JSON Lines file (or stdin for `-`); a line that is no verdict is a warning with file:line. */
async function importVerdicts(file: string, options: ScoreOptions, io: CliIo): Promise<ExitCode> {
  const path = file === '-' ? '(stdin)' : resolve(io.cwd, file);
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw new ForgeError({ message: `cannot read the verdicts file: ${(error as Error).message}`, code: 'usage', location: { file: path }, cause: error });
  }
  const verdicts: Verdict[] = [];
  const warnings: SessionWarning[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      warnings.push({ file: path, line: index + 1, kind: 'invalid-json', message: `not JSON (${(error as Error).message}); skipped` });
      return;
    }
    const parsed = safeParseVerdict(value);
    if (parsed.success) verdicts.push(parsed.data);
    else warnings.push({ file: path, line: index + 1, kind: 'invalid-record', message: `not a verdict ({ sessionId, verdict: good|bad|skip, by?, note?, at? }): ${parsed.error.message}; skipped` });
  });
  await withStateStore(options, io, (store) => store.recordVerdicts(verdicts));
  if (!options.quiet) {
    for (const warning of warnings) io.stderr.write(`warning: ${formatWarning(warning)}\n`);
    io.stderr.write(`imported ${verdicts.length} verdict${verdicts.length === 1 ? '' : 's'}${warnings.length === 0 ? '' : `; ${warnings.length} line${warnings.length === 1 ? '' : 's'} skipped`}\n`);
  }
  return warnings.length > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The outcome in a few words: `dm-a1b2 first-try, 1 commit` or `unknown`. */
export function describeOutcome(score: SessionScore): string {
  if (score.outcome == null) return 'unknown';
  const beads = score.outcome.beads.map((bead) => `${bead.id} ${bead.tier ?? bead.status}`);
  const commits = score.outcome.commits.length;
  return [...beads, ...(commits === 0 ? [] : [`${commits} commit${commits === 1 ? '' : 's'}`])].join(', ');
}

/** The table of `forge score` (and `forge review`): one row per session. */
export function scoreTable(scores: readonly SessionScore[]): string {
  const rows = scores.map((score) => [
    score.score.toFixed(2),
    score.source,
    score.sessionId,
    describeOutcome(score),
    score.outcome?.codeSurvival == null ? '-' : `${Math.round(score.outcome.codeSurvival * 100)}%`,
    score.verdict?.verdict ?? '-',
  ]);
  return `${renderTable(['score', 'source', 'session', 'outcome', 'survival', 'verdict'], rows)}\n${scores.length} session${scores.length === 1 ? '' : 's'}\n`;
}

/** `--explain`: the outcome with its evidence (file:line or commit), every signal with its reason, and the reasons. */
async function explain(score: SessionScore): Promise<string> {
  const sourceIds = [...score.links.beads.flatMap((bead) => bead.evidence), ...(score.outcome?.commits ?? []).flatMap((commit) => commit.evidence)]
    .filter((evidence) => evidence.file === score.file && evidence.sourceId != null)
    .map((evidence) => evidence.sourceId!);
  const lines = sourceIds.length === 0 ? new Map<string, number>() : await locateSessionLines(score.file, sourceIds);
  const where = (evidence: LinkEvidence): string => {
    const line = evidence.line ?? (evidence.sourceId == null ? undefined : lines.get(evidence.sourceId));
    if (evidence.commit != null && evidence.file == null) return evidence.commit.slice(0, 12);
    if (evidence.file == null) return '';
    return `${evidence.file}${line == null ? '' : `:${line}`}`;
  };
  const out = [`${score.sessionId} (${score.source}) score ${score.score.toFixed(4)}${score.outcomeKnown ? '' : ' (outcome unknown: heuristics only)'}`, `  file     ${score.file}`];
  if (score.verdict != null) out.push(`  verdict  ${score.verdict.verdict}${score.verdict.by == null ? '' : ` by ${score.verdict.by}`}${score.verdict.note == null ? '' : `: ${score.verdict.note}`}`);
  for (const bead of score.links.beads) {
    const outcome = score.outcome?.beads.find((entry) => entry.id === bead.id);
    const state = outcome == null ? '' : ` ${outcome.status}, attempt ${outcome.attempt ?? '?'} of ${outcome.attempts}, ${outcome.tier ?? 'tier unknown'}${outcome.reopened ? ', reopened' : ''}${outcome.merged ? ', merged' : ''}`;
    out.push(`  bead     ${bead.id} (${bead.role})${state}`);
    for (const evidence of bead.evidence) out.push(`             ${evidence.signal}: ${evidence.detail}  [${where(evidence)}]`);
  }
  for (const commit of score.outcome?.commits ?? []) {
    out.push(`  commit   ${commit.sha.slice(0, 12)} ${commit.subject}${commit.landed ? ' (landed)' : ''}${commit.additions == null ? '' : ` +${commit.additions} -${commit.deletions ?? 0}`}`);
    for (const evidence of commit.evidence) out.push(`             ${evidence.signal}: ${evidence.detail}${where(evidence) === '' ? '' : `  [${where(evidence)}]`}`);
  }
  out.push('  signals');
  for (const [name, signal] of Object.entries(score.signals)) {
    out.push(`    ${name.padEnd(14)} ${signal.score == null ? '   -' : signal.score.toFixed(2)} ×${signal.weight}  ${signal.reason}`);
  }
  out.push('  reasons');
  for (const reason of score.reasons) out.push(`    - ${reason}`);
  return `${out.join('\n')}\n\n`;
}
