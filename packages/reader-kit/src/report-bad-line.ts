import { type RawLineBatch } from './read-raw-line-batches.js';
import { type WarningLog } from './warning-log.js';

/**
 * How a reader words its bad-line warnings. The rule is one (below); the words stay each reader's
 * own so that Sessions read before the readers shared it keep their exact warning text.
 */
export interface BadLineWording {
  tooLong(bytes: number): string;
  truncated(reason: string): string;
  invalid(reason: string): string;
}

/**
 * Reports a line of a batch that is over the line limit or did not parse (`error` is what
 * `JSON.parse` threw): `line-too-long`; `truncated-line` for an unterminated last line (a file
 * still being written); else `invalid-json`, each with its line number. A line of blanks is no
 * problem: false, nothing reported.
 */
export function reportBadLine(warnings: WarningLog, batch: RawLineBatch, row: number, error: unknown, wording: BadLineWording): boolean {
  const line = batch.lineNumber(row);
  if (batch.tooLong(row)) {
    warnings.add('line-too-long', wording.tooLong(batch.byteLength(row)), line);
    return true;
  }
  if (batch.text(row).trim() === '') return false;
  const reason = error instanceof Error ? error.message : String(error);
  if (!batch.terminated(row)) warnings.add('truncated-line', wording.truncated(reason), line);
  else warnings.add('invalid-json', wording.invalid(reason), line);
  return true;
}
