import { credentialKeyRule } from './keyed-values.js';
import { keyFormatRules } from './key-formats.js';
import { regexRule, secretPlaceholder, slotSeparator, type RedactionMatch, type RedactionRule } from './redaction-rule.js';

/** `-----BEGIN … PRIVATE KEY-----` blocks, also when the output was cut before the END line (then up to the end of its slot). */
const privateKeyBlock = regexRule(
  'private-key-block',
  new RegExp(`-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|(?=${escapeRegExp(slotSeparator)})|$)`, 'g'),
);

const urlCredentials = regexRule('url-credentials', /:\/\/([^\s:@/]{1,256}):([^\s@/]{1,256})@/g, { group: 2 });

/** A `KEY=value` line, optionally after a line-number gutter (`  12→`, `12\t`) and `export`. */
const envLine = /^(\s*\d+(?:\t|→|\||:)\s*)?(?:export\s+)?[A-Z][A-Z0-9_]{1,80}=(.*)$/;

/** A value that looks generated: long, no spaces, letters and digits. */
const randomLooking = /^(?=[^\s]*[A-Za-z])(?=[^\s]*\d)[^\s]{16,}$/;

/**
 * Two or more consecutive `KEY=value` lines (a `.env` file or `env` output): every value goes; a
 * lone `KEY=value` line goes when the value looks generated.
 */
const envDump: RedactionRule = {
  name: 'env-dump',
  find(text) {
    const matches: RedactionMatch[] = [];
    let block: RedactionMatch[] = [];
    let blockLines = 0;
    const closeBlock = () => {
      if (blockLines >= 2) for (const match of block) matches.push(match);
      else if (block.length === 1 && randomLooking.test(text.slice(block[0]!.start, block[0]!.end).trim())) matches.push(block[0]!);
      block = [];
      blockLines = 0;
    };
    let lineStart = 0;
    let nextEquals = text.indexOf('=');
    while (lineStart <= text.length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) lineEnd = text.length;
      if (nextEquals !== -1 && nextEquals < lineStart) nextEquals = text.indexOf('=', lineStart);
      // Most lines hold no `=`: no need to read them.
      const match = nextEquals === -1 || nextEquals > lineEnd || lineEnd - lineStart > 4096 ? null : envLine.exec(text.slice(lineStart, lineEnd));
      if (match == null) closeBlock();
      else {
        const value = match[2] ?? '';
        blockLines += 1;
        // A value already replaced (`KEY=[REDACTED:…]`) still makes the block, and is not replaced again.
        if (value.trim() !== '' && !value.startsWith('[REDACTED:')) {
          const start = lineEnd - value.length;
          block.push({ start, end: lineEnd, rule: 'env-dump', replacement: secretPlaceholder('env-dump') });
        }
      }
      lineStart = lineEnd + 1;
    }
    closeBlock();
    return matches;
  },
};

const emailLocal = /[A-Za-z0-9._%+-]/;
const emailDomain = /[A-Za-z0-9.-]/;

/** E-mail addresses, found from each `@` outwards (no regex backtracking over long runs). */
const email: RedactionRule = {
  name: 'email',
  find(text) {
    const matches: RedactionMatch[] = [];
    for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
      let start = at;
      while (start > 0 && at - start < 64 && emailLocal.test(text[start - 1]!)) start -= 1;
      let end = at + 1;
      while (end < text.length && end - at < 256 && emailDomain.test(text[end]!)) end += 1;
      while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end -= 1;
      const local = text.slice(start, at);
      const domain = text.slice(at + 1, end);
      if (local === '' || !/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(domain)) continue;
      // `git@github.com:org/repo` is an SSH remote, not a person.
      if (local === 'git' && text[end] === ':') continue;
      matches.push({ start, end, rule: 'email', replacement: secretPlaceholder('email') });
    }
    return matches;
  },
};

/** The built-in rules that complement secretlint's recommend preset. */
export const builtInRedactionRules: readonly RedactionRule[] = [privateKeyBlock, urlCredentials, credentialKeyRule, envDump, ...keyFormatRules];

/** The e-mail rule (on by default). */
export const emailRedactionRule: RedactionRule = email;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces the home directory (also with backslashes, as Windows paths write it) with `~`. */
export function homeDirectoryRule(homeDirectory: string): RedactionRule | undefined {
  const trimmed = homeDirectory.replace(/[/\\]+$/, '');
  if (trimmed.length < 2) return undefined;
  const variants = [...new Set([trimmed, trimmed.replaceAll('/', '\\'), trimmed.replaceAll('\\', '/')])].map(escapeRegExp);
  const pattern = new RegExp(`(?:${variants.join('|')})(?![A-Za-z0-9_.-])`, 'g');
  const rule = regexRule('home-directory', pattern);
  return { name: 'home-directory', find: (text) => rule.find(text).map((match) => ({ ...match, replacement: '~' })) };
}

/** Names too common to replace as words without wrecking ordinary text. */
const commonUserNames = new Set(['root', 'user', 'admin', 'ubuntu', 'runner', 'node', 'test', 'dev', 'app', 'guest', 'default']);

/** Replaces the user name as a whole word (also inside paths such as `-home-alice-src`). */
export function userNameRule(userName: string): RedactionRule | undefined {
  if (userName.length < 3 || commonUserNames.has(userName.toLowerCase())) return undefined;
  // The name first and the boundary checks after it: a pattern that starts with a literal is searched fast.
  const name = escapeRegExp(userName);
  return regexRule('user-name', new RegExp(`${name}(?<![A-Za-z0-9]${name})(?![A-Za-z0-9])`, 'gi'));
}
