/** One place in a text to replace. */
export interface RedactionMatch {
  start: number;
  end: number;
  rule: string;
  replacement: string;
}

/** A detector over one text: returns the spans to replace. */
export interface RedactionRule {
  name: string;
  find(text: string): RedactionMatch[];
}

/** The text a secret is replaced with. */
export function secretPlaceholder(rule: string): string {
  return `[REDACTED:${rule}]`;
}

/**
 * A rule from a regular expression. Every pattern here starts with a literal (or is anchored to
 * one), so scanning stays linear on long base64 runs; `group` picks the part that is the secret.
 */
export function regexRule(name: string, pattern: RegExp, options: { group?: number; accept?: (match: RegExpExecArray, text: string) => boolean } = {}): RedactionRule {
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
        if (options.accept != null && !options.accept(match, text)) continue;
        const span = match.indices?.[options.group ?? 0];
        if (span == null) continue;
        matches.push({ start: span[0], end: span[1], rule: name, replacement: secretPlaceholder(name) });
      }
      return matches;
    },
  };
}

const placeholderValue = /^(?:\$|%|<|\{|\[REDACTED|\*{3}|x{6}|process\.env|os\.environ|env\.|getenv)/i;

/** `…KEY=value`, `token: "value"`, `PASSWORD=value`: the value of a secret-named assignment. */
const secretAssignment = regexRule(
  'secret-assignment',
  /(?:api[_-]?key|secret|token|passw(?:or)?d|passwd|credentials?|access[_-]?key|private[_-]?key)[A-Za-z0-9_.-]{0,40}?(\s*["']?\s*(?:=|:)\s*["']?)([^\s"'`,;()[\]{}<>]{8,512})/gi,
  {
    group: 2,
    accept(match, text) {
      const value = match[2] ?? '';
      if (placeholderValue.test(value)) return false;
      // The full name: walk back over identifier characters from the keyword.
      let nameStart = match.index;
      while (nameStart > 0 && /[A-Za-z0-9_]/.test(text[nameStart - 1]!)) nameStart -= 1;
      const name = text.slice(nameStart, match.index + match[0].length - (match[1] ?? '').length - value.length);
      const envStyle = /^[A-Z][A-Z0-9_]*$/.test(name) && (match[1] ?? '').includes('=');
      // Code such as `token = response.token` is not a secret; a value with a digit or an env-style assignment is.
      return envStyle || /\d/.test(value);
    },
  },
);

/** `-----BEGIN … PRIVATE KEY-----` blocks, also when the output was cut before the END line. */
const privateKeyBlock = regexRule(
  'private-key-block',
  /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
);

const jwt = regexRule('jwt', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g);
const awsAccessKeyId = regexRule('aws-access-key-id', /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g);
const urlCredentials = regexRule('url-credentials', /:\/\/([^\s:@/]{1,256}):([^\s@/]{1,256})@/g, { group: 2 });
const bearerToken = regexRule('bearer-token', /\b(?:Bearer|Token)\s+([A-Za-z0-9._~+/=-]{16,})/g, { group: 1 });
/**
 * A secret named in prose: `secret wJalr…`, `my token is 9f2c…`, `password: …`: a keyword, then a
 * long value with letters and digits (one that looks generated, so ordinary words pass).
 */
const secretMention = regexRule(
  'secret-mention',
  /\b(?:secret(?:[ _-]?(?:access[ _-]?)?key)?|token|password|passphrase|api[ _-]?key)\s+(?:is\s+|was\s+|=\s*|:\s*)?([A-Za-z0-9/+=_.-]{16,256})/gi,
  { group: 1, accept: (match) => /[A-Za-z]/.test(match[1] ?? '') && /\d/.test(match[1] ?? '') },
);
// secretlint knows OpenAI keys only by their `T3BlbkFJ` marker; project, service-account and admin keys
// pasted in a shortened or newer shape still start with their prefix.
const openAiStyleKey = regexRule('openai-style-key', /\bsk-(?:proj-|svcacct-|admin-)[A-Za-z0-9_-]{24,}/g);

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
    const closeBlock = () => {
      if (block.length >= 2) matches.push(...block);
      else if (block.length === 1 && randomLooking.test(text.slice(block[0]!.start, block[0]!.end).trim())) matches.push(block[0]!);
      block = [];
    };
    let lineStart = 0;
    while (lineStart <= text.length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) lineEnd = text.length;
      const line = text.slice(lineStart, lineEnd);
      const match = line.length <= 4096 ? envLine.exec(line) : null;
      if (match == null) closeBlock();
      else {
        const value = match[2] ?? '';
        if (value.trim() !== '') {
          const start = lineStart + line.length - value.length;
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
export const builtInRedactionRules: readonly RedactionRule[] = [privateKeyBlock, jwt, awsAccessKeyId, openAiStyleKey, urlCredentials, bearerToken, secretAssignment, secretMention, envDump];

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
  return regexRule('user-name', new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(userName)}(?![A-Za-z0-9])`, 'gi'));
}
