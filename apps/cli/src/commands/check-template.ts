import { resolve } from 'node:path';
import { checkChatTemplate, loadChatTemplate, loadTokenizerJsonCounter, readTemplateRows } from '@forge/transform';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { type CheckTemplateOptions } from './command-options.js';

/** `forge check-template TEMPLATE [DATASET]`: which rows a chat template fails on or renders without some of their content. */
export async function checkTemplateCommand(templatePath: string, dataset: string, flags: CheckTemplateOptions, io: CliIo): Promise<ExitCode> {
  const template = await loadChatTemplate(resolve(io.cwd, templatePath));
  const rows = await readTemplateRows(resolve(io.cwd, dataset));
  const tokenCounter = flags.tokenizer == null ? undefined : await loadTokenizerJsonCounter({ tokenizerJsonPath: resolve(io.cwd, flags.tokenizer) });
  const report = checkChatTemplate(template, rows, tokenCounter == null ? {} : { tokenCounter });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    for (const row of report.rowReports) {
      if (row.error != null) io.stdout.write(`${row.ref}  fails: ${row.error}\n`);
      for (const loss of row.losses) {
        const where = loss.message === -1 ? 'tools' : `message ${loss.message} (${loss.role})`;
        const why = loss.byDesign ? ' (by design: the template keeps reasoning only after the last user message)' : '';
        io.stdout.write(`${row.ref}  ${where}  ${loss.field} dropped${loss.count > 1 ? ` (${loss.count})` : ''}${why}\n`);
      }
      if (row.tokens != null) io.stdout.write(`${row.ref}  ${row.tokens} tokens\n`);
    }
    const list = (counts: Record<string, number>) =>
      Object.entries(counts)
        .map(([field, count]) => `${field} ${count}`)
        .join(', ');
    const failed = report.rows - report.rendered;
    io.stderr.write(
      [
        `${report.template}: rendered ${report.rendered} of ${report.rows} rows`,
        failed > 0 ? `; ${failed} fail` : '',
        report.rowsWithLosses > 0 ? `; ${report.rowsWithLosses} rows lose content (rows per field: ${list(report.rowsLosing)})` : '; no row loses content',
        Object.keys(report.rowsLosingByDesign).length > 0 ? `; dropped by the template's design: ${list(report.rowsLosingByDesign)}` : '',
        report.tokens == null ? '' : `; ${report.tokens.total} tokens (${report.tokens.counter}), at most ${report.tokens.max} per row`,
        '\n',
      ].join(''),
    );
  }
  return report.rendered === report.rows && report.rowsWithLosses === 0 ? exitCodes.ok : exitCodes.failure;
}
