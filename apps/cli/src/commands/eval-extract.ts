import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { chooseScenarios, scenarioFiles, type Scenario } from '@forge/eval';
import { archiveCommit, readReferenceChange } from '@forge/extract-outcomes';
import { type SessionWarning } from '@forge/schema';
import { validationCommands } from '@forge/scoring';
import { createRedactor, writeFolderAtomically } from '@forge/transform';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { loadConfig } from '../config/load-config.js';
import { redactionOptions } from '../config/redaction-options.js';
import { type EvalExtractOptions } from './command-options.js';
import { loadSessions } from './load-sessions.js';
import { splitList } from './option-parsers.js';
import { scoreAsConfigured } from './score-selection.js';

function describeOutcome(tier: string | null, merged: boolean): string {
  const words: Record<string, string> = { 'first-try': 'closed on the first try', rework: 'closed after rework', 'no-changes': 'closed without code changes' };
  return `${tier == null ? 'patrol cycle' : (words[tier] ?? tier)}${merged ? ', merged' : ''}`;
}

/**
 * `forge eval extract`: one Harbor task per closed bead with a linked commit and per top-scoring
 * patrol cycle, written whole into `--out` (tasks/<id>/…, eval/prompts/<id>.md); texts redacted.
 */
export async function evalExtractCommand(flags: EvalExtractOptions, io: CliIo): Promise<ExitCode> {
  // forge.config.json's redaction block applies as in `forge run` (a bad block stops before reading).
  const { config, path: configPath } = loadConfig(io.cwd, flags.config);
  const redactor = createRedactor({ ...redactionOptions(config, configPath, io.env, io.cwd), ...(io.env.HOME == null ? {} : { homeDirectory: io.env.HOME }) });
  const { sessions } = await loadSessions(flags, io);
  const { scores, warnings } = await scoreAsConfigured(sessions, flags, io);
  const problems: SessionWarning[] = [...warnings];
  const choices = chooseScenarios(
    sessions.map((session, index) => ({ score: scores[index]!, role: session.gastown?.role ?? 'none' })),
    { ...(flags.minScore == null ? {} : { minScore: flags.minScore }), ...(flags.role == null ? {} : { roles: splitList(flags.role) }) },
  );
  const out = resolve(io.cwd, flags.out);
  let written = 0;
  await writeFolderAtomically(out, async (folder) => {
    for (const choice of choices) {
      const session = sessions[choice.index]!;
      const score = scores[choice.index]!;
      const change = choice.kind === 'bead' ? await readReferenceChange(session.cwd, choice.commits.map((commit) => commit.sha), { env: io.env, onWarning: (warning) => problems.push(warning) }) : undefined;
      if (choice.kind === 'bead' && change == null) continue;
      const prompt = session.messages.find((message) => message.role === 'user')?.text ?? '';
      const checks = validationCommands(session);
      const [redactedPrompt, redactedDiff, title, ...redactedChecks] = (await redactor.redactTexts([prompt, change?.diff ?? '', choice.kind === 'bead' ? (choice.bead.title ?? '') : '', ...checks])).texts;
      const bead = choice.kind === 'bead' ? score.outcome!.beads.find((entry) => entry.id === choice.bead.id)! : undefined;
      const scenario: Scenario = {
        id: choice.kind === 'bead' ? choice.bead.id : `patrol-${choice.role}-${session.id}`,
        kind: choice.kind,
        bead: choice.kind === 'bead' ? { id: choice.bead.id, title: title === '' ? null : title! } : null,
        role: session.gastown?.role ?? 'none',
        session: { id: session.id, source: session.source, score: score.score, tier: choice.kind === 'bead' ? choice.tier : null },
        prompt: redactedPrompt!,
        repository: change?.repository ?? null,
        baseCommit: change?.base ?? null,
        headCommit: change?.head ?? null,
        referenceDiff: redactedDiff!,
        checks: redactedChecks,
        outcome: describeOutcome(choice.kind === 'bead' ? choice.tier : null, bead?.merged ?? false),
      };
      for (const [path, text] of Object.entries(scenarioFiles(scenario))) {
        await mkdir(dirname(join(folder, path)), { recursive: true });
        await writeFile(join(folder, path), text, { mode: path.endsWith('.sh') ? 0o755 : 0o644 });
      }
      // The environment: the repository at the base commit (a patrol cycle has none).
      if (change != null && !(await archiveCommit(change.repository, change.base, join(folder, 'tasks', scenario.id, 'environment', 'repo.tar'), { env: io.env }))) {
        problems.push({ file: change.repository, kind: 'not-a-repository', message: `git archive ${change.base} failed: the scenario ${scenario.id} has no environment/repo.tar` });
      }
      written += 1;
    }
  });
  if (!flags.quiet) {
    io.stderr.write(`wrote ${written} scenarios to ${out} (tasks/<id>/ in Harbor's layout, eval/prompts/<id>.md)\n`);
    for (const warning of problems) io.stderr.write(`warning: ${warning.file}: ${warning.message}\n`);
  }
  return problems.length > 0 ? exitCodes.doneWithWarnings : exitCodes.ok;
}
