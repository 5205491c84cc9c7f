import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { ForgeError } from '@forge/schema';
import { auditDataset } from '@forge/transform';
import { type CliIo, exitCodes, type ExitCode } from '../cli-io.js';
import { loadConfig } from '../config/load-config.js';
import { redactionOptions } from '../config/redaction-options.js';
import { type AuditOptions } from './command-options.js';

/** `forge audit FOLDER`: what redaction would still replace in a dataset, by file, row and field; exit 1 when anything is found. */
export async function auditCommand(folder: string, flags: AuditOptions, io: CliIo): Promise<ExitCode> {
  const path = resolve(io.cwd, folder);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory() !== true) throw new ForgeError({ message: `not a dataset folder: ${path}`, code: 'usage', hint: 'pass the folder forge run wrote (the one holding manifest.json)' });
  const { config, path: configPath } = loadConfig(io.cwd, flags.config);
  const report = await auditDataset(path, { ...redactionOptions(config, configPath, io.env, io.cwd), homeDirectory: io.env.HOME ?? homedir() });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ folder: path, ...report })}\n`);
  } else {
    for (const finding of report.findings) {
      io.stdout.write(`${finding.file}${finding.row == null ? '' : `:${finding.row}`}  ${finding.field || '(line)'}  ${finding.rule}  ${finding.context}\n`);
    }
    for (const warning of report.warnings) io.stderr.write(`forge audit: ${warning.file}:${warning.row}: ${warning.message}\n`);
    const rules = Object.entries(report.counts)
      .map(([rule, count]) => `${rule} ${count}`)
      .join(', ');
    io.stderr.write(
      report.findings.length === 0
        ? `clean: ${report.rowsScanned} rows in ${report.filesScanned} files, nothing to redact\n`
        : `${report.findings.length} findings (${rules}) in ${report.rowsScanned} rows of ${report.filesScanned} files\n`,
    );
  }
  return report.findings.length === 0 ? exitCodes.ok : exitCodes.failure;
}
