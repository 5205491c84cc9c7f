/** One place in a text to replace. */
export interface RedactionMatch {
  start: number;
  end: number;
  rule: string;
  replacement: string;
  /** Secrets this match revealed in another form (a decoded `user:password`), redacted wherever else they appear. */
  alsoRedact?: readonly string[];
}

/** A detector over one text: returns the spans to replace. */
export interface RedactionRule {
  name: string;
  find(text: string): RedactionMatch[];
}

/**
 * What separates slots (strings) scanned as one text: an empty line around a NUL, which no rule
 * matches across (one byte wide, so Latin-1 text stays a one-byte string, which regular
 * expressions scan faster).
 */
export const slotSeparator = '\n\u0000\n';

/** The slot of a batch (slots joined by {@link slotSeparator}, slot `i` starting at `starts[i]`) that `offset` lies in or after. */
export function slotAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The text a secret is replaced with. */
export function secretPlaceholder(rule: string): string {
  return `[REDACTED:${rule}]`;
}

/**
 * A rule from a regular expression. Every pattern here starts with a literal (or is anchored to
 * one), so scanning stays linear on long base64 runs; `group` picks the part that is the secret.
 */
export function regexRule(name: string, pattern: RegExp, options: { group?: number } = {}): RedactionRule {
  const flags = new Set(pattern.flags.split(''));
  flags.add('g');
  flags.add('d');
  const global = new RegExp(pattern.source, [...flags].join(''));
  return {
    name,
    find(text) {
      const matches: RedactionMatch[] = [];
      global.lastIndex = 0;
      for (let match = global.exec(text); match != null; match = global.exec(text)) {
        if (match[0].length === 0) {
          global.lastIndex += 1;
          continue;
        }
        const span = match.indices?.[options.group ?? 0];
        if (span == null) continue;
        matches.push({ start: span[0], end: span[1], rule: name, replacement: secretPlaceholder(name) });
      }
      return matches;
    },
  };
}
