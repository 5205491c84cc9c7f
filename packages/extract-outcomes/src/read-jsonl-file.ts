import { readJsonLines, WarningLog } from '@forge/reader-kit';
import { type SessionWarning } from '@forge/schema';

/**
 * Reads every JSON value of a JSONL file with its line number; bad lines become warnings with
 * file:line, a missing file gives nothing. The callback may add its own warnings to the log.
 */
export async function forEachJsonLine(
  file: string,
  warnings: SessionWarning[],
  visit: (value: unknown, line: number, log: WarningLog) => void,
): Promise<void> {
  const log = new WarningLog(file);
  try {
    for await (const line of readJsonLines(file)) {
      if (line.kind === 'value') visit(line.value, line.lineNumber, log);
      else if (line.kind === 'too-long') log.add('line-too-long', `line of ${line.bytes} bytes skipped`, line.lineNumber);
      else if (line.truncated) log.add('truncated-line', `last line is cut off (${line.message}); skipped`, line.lineNumber);
      else log.addCounted('invalid-json', 'line', `line is not JSON (${line.message}); skipped`, line.lineNumber);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') log.add('unreadable-file', `could not read: ${(error as Error).message}`);
  }
  warnings.push(...log.list());
}
