import { secretPlaceholder, type RedactionMatch } from './redaction-rule.js';

/** Rules that find personal data rather than secrets. */
const personalDataRules = new Set(['email', 'phone-number', 'payment-card']);

/** Shorter values are too likely to be ordinary words or numbers to replace everywhere. */
export const shortestPropagatedValue = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The characters of `value`'s base64 that do not depend on what surrounds it, for each of the
 * three byte alignments it can have inside a longer base64 text (a `user:password` pair, a JSON
 * document, an HTTP Basic header), in standard and URL-safe alphabets.
 */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const cores: string[] = [];
  for (let alignment = 0; alignment < 3; alignment += 1) {
    const encoded = Buffer.concat([Buffer.alloc(alignment), bytes]).toString('base64');
    const first = Math.ceil((alignment * 8) / 6);
    const last = Math.floor(((alignment + bytes.length) * 8) / 6);
    const core = encoded.slice(first, last);
    if (core.length >= shortestPropagatedValue) cores.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return cores;
}

/**
 * A value as it appears raw (always), and, when at least {@link shortestPropagatedValue} long,
 * JSON-escaped (once and twice), URL-encoded, and (for secrets, not personal data, which is not
 * base64-encoded in practice) in base64.
 */
export function encodedForms(value: string, secret = true): string[] {
  const jsonEscaped = JSON.stringify(value).slice(1, -1);
  const forms = [value, jsonEscaped, JSON.stringify(jsonEscaped).slice(1, -1), encodeURIComponent(value), encodeURIComponent(value).replaceAll('%20', '+'), ...(secret ? base64Cores(value) : [])];
  return [...new Set(forms)].filter((form) => form === value || form.length >= shortestPropagatedValue);
}

/**
 * Finds every occurrence of known secret values (and their encoded forms) in a text: what makes
 * a secret caught in one place of a session redacted everywhere else in it.
 */
export interface LiteralFinder {
  find(text: string): RedactionMatch[];
}

/** A finder over `values` (value → the rule its placeholder names); undefined when there is nothing to find. */
export function createLiteralFinder(values: ReadonlyMap<string, string>): LiteralFinder | undefined {
  const ruleByForm = new Map<string, string>();
  for (const [value, rule] of values) {
    for (const form of encodedForms(value, !personalDataRules.has(rule))) if (!ruleByForm.has(form)) ruleByForm.set(form, rule);
  }
  if (ruleByForm.size === 0) return undefined;
  // Longest first: an alternation takes the first alternative that matches at a position.
  const alternatives = [...ruleByForm.keys()].sort((left, right) => right.length - left.length || (left < right ? -1 : 1));
  const pattern = new RegExp(alternatives.map(escapeRegExp).join('|'), 'g');
  return {
    find(text) {
      const matches: RedactionMatch[] = [];
      pattern.lastIndex = 0;
      for (let found = pattern.exec(text); found != null; found = pattern.exec(text)) {
        const rule = ruleByForm.get(found[0])!;
        matches.push({ start: found.index, end: found.index + found[0].length, rule, replacement: secretPlaceholder(rule) });
      }
      return matches;
    },
  };
}
