/** The first lines of a file's head, as `SessionSourceReader.detect` sees them. */
export interface HeadRecords {
  /** The parsed values of the first complete, non-blank lines (a line that is not JSON is `undefined`). */
  values: unknown[];
  /** The start of a line the head cut off (no newline within it), when the head ends there. */
  partial?: string;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Parses the first `limit` non-blank lines of a file's first bytes (CRLF endings and a UTF-8
 * byte-order mark are read like plain LF). A last line without a newline counts when it parses
 * (the head was the whole file); otherwise it is `partial`.
 */
export function headRecords(head: Buffer, limit = 3): HeadRecords {
  const values: unknown[] = [];
  let start = 0;
  while (start < head.length && values.length < limit) {
    let end = head.indexOf(NEWLINE, start);
    const cut = end === -1;
    if (cut) end = head.length;
    let textEnd = end;
    if (textEnd > start && head[textEnd - 1] === CARRIAGE_RETURN) textEnd -= 1;
    let text = head.toString('utf8', start, textEnd);
    if (start === 0 && text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
    start = end + 1;
    if (text.trim() === '') continue;
    try {
      values.push(JSON.parse(text));
    } catch {
      // A line the head cut off (or a file's unterminated last line) that does not parse yet.
      if (cut) return { values, partial: text };
      values.push(undefined);
    }
  }
  return { values };
}
