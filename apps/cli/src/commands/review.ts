import { selectForReview } from '@forge/scoring';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { formatWarning } from '../render/format-warning.js';
import { writeJsonLines } from '../render/write-json-lines.js';
import { type ReviewOptions } from './command-options.js';
import { scoreSelection } from './score-selection.js';
import { scoreTable } from './score.js';

/**
 * `forge review`: the sessions a deacon or witness patrol should judge — no known outcome, no
 * verdict yet, a score within the review margin of the threshold (forge.config.json's
 * `scoring.review`) — closest to the threshold first, in `forge score`'s shapes.
 */
export async function reviewCommand(targets: string[], options: ReviewOptions, io: CliIo): Promise<ExitCode> {
  const selection = await scoreSelection(targets, options, io);
  if (!options.quiet) for (const warning of selection.warnings) io.stderr.write(`warning: ${formatWarning(warning)}\n`);
  const review = selectForReview(selection.scores, selection.config.review);
  if (options.json) await writeJsonLines(io.stdout, review);
  else {
    const { threshold, margin } = selection.config.review;
    io.stdout.write(scoreTable(review));
    io.stdout.write(`to judge: no outcome, no verdict, score within ${margin} of ${threshold}; record with forge score --record <session> --verdict good|bad|skip\n`);
  }
  return selection.badInput ? exitCodes.doneWithWarnings : exitCodes.ok;
}
