import { phoneNumberAt } from './personal-data.js';
import { secretPlaceholder, type RedactionMatch, type RedactionRule } from './redaction-rule.js';

/** The rule name of values under credential keys (kept from the first `NAME=value` rule so counts stay comparable). */
export const credentialKeyRuleName = 'secret-assignment';

/**
 * Key names whose value is a credential, compared on the normalized name (lower case, without
 * `_`, `-`, `.`, `$`, `@`): a name ending with one of these (`DB_PASSWORD`, `client_secret`,
 * `x-api-key`, `_authToken`, `aws_secret_access_key`, `client-key-data`). A suffix, not a
 * substring, so `password_hash`, `token_type`, `tokenizer`, `secretName` and `max_tokens` are not.
 */
const credentialSuffixes = [
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'privatekeyid',
  'accountkey',
  'signingkey',
  'encryptionkey',
  'masterkey',
  'secretkeybase',
  'keydata',
  'credential',
  'credentials',
  'auth',
  'authorization',
  'cookie',
];
/** Keys whose values may be a phrase (spaces allowed). */
const phraseSuffixes = ['password', 'passwd', 'passphrase', 'pwd', 'secret'];

function normalizeKey(name: string): string {
  return name.toLowerCase().replace(/[-_.$@\s]/g, '');
}

/** Whether a key (JSON, YAML, TOML, INI, env, header, query or CLI flag name) holds a credential. */
export function isCredentialKey(name: string): boolean {
  const normalized = normalizeKey(name);
  if (normalized.length > 64) return false;
  return credentialSuffixes.some((suffix) => normalized.endsWith(suffix));
}

function allowsPhrase(name: string): boolean {
  const normalized = normalizeKey(name);
  return phraseSuffixes.some((suffix) => normalized.endsWith(suffix));
}

/** Words that stand for "no value here" or name a type, never a secret. */
const notASecret =
  /^(?:none|null|nil|true|false|yes|no|on|off|undefined|string|str|bytes|number|int|integer|bool|boolean|any|unknown|object|optional|required|empty|hidden|secret|secrets|password|passwd|token|tokens|redacted|masked|changeme|example|placeholder|todo|tbd|n\/a|default|env|environment|bearer|basic|oauth2?)$/i;
/** Templated or referenced values: `$VAR`, `${VAR}`, `%(x)s`, `<your-token>`, `{{ x }}`, `[REDACTED…]`, YAML tags, env lookups. */
const templatedValue = /^(?:\$|%|<|\{|\[|`|!|&|\*|~|\/|\\|process\.env|os\.environ|os\.getenv|env\.|getenv|ENV\[|(?:your|my|the|some)[-_ ]|xxx|\.\.\.|…)/i;

/**
 * Whether a value found under a credential key is a literal secret and not a placeholder, a type,
 * a reference or an empty word. `phrase`: spaces are allowed (a password can be a phrase).
 */
export function isCredentialValue(value: string, key: string, phrase = allowsPhrase(key)): boolean {
  if (value.length < 4 || value.length > 512) return false;
  if (notASecret.test(value) || templatedValue.test(value)) return false;
  if (/^\d{1,5}$/.test(value)) return false;
  if (/^(.)\1*$/.test(value)) return false;
  if (/\s/.test(value)) {
    // A label ("Enter your password") or prose, unless the key says a phrase is a password.
    if (!phrase || value.length > 128 || value.split(/\s+/).length > 6 || /pass(?:word|phrase)|secret|token/i.test(value)) return false;
  }
  const normalizedValue = normalizeKey(value);
  return normalizedValue !== normalizeKey(key) && !normalizeKey(key).endsWith(normalizedValue);
}

/** An unquoted value that reads as code (`this.token`, `getToken()`, `apiKey`, `ApiKey`): not a secret literal. */
function looksLikeCode(value: string): boolean {
  if (/\d/.test(value)) return false;
  return /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) || /^[a-z]+(?:[A-Z][a-z]*)+$/.test(value) || /^[A-Z][a-z]+(?:[A-Z][a-z]+)+$/.test(value);
}

/** Long, no spaces, letters and digits: a value that looks generated. */
export function looksGenerated(value: string): boolean {
  return value.length >= 8 && /[A-Za-z]/.test(value) && /\d/.test(value) && !/\s/.test(value);
}

const base64Value = /^[A-Za-z0-9+/]{8,}={0,2}$/;

/**
 * The secrets inside a base64 credential value: a docker `auths` entry, `.npmrc` `_auth` and
 * `_password`, an HTTP Basic header all hold `user:password` (or a password) in base64. Returns
 * the decoded text and the password so they are redacted wherever else they appear.
 */
export function decodedCredentials(value: string): string[] {
  if (!base64Value.test(value) || value.length % 4 !== 0) return [];
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (decoded.length < 4 || !/^[\x21-\x7e]+$/.test(decoded)) return [];
  // Base64 of binary or of a long random key decodes to noise; text with a colon is user:password.
  const colon = decoded.indexOf(':');
  if (colon > 0 && colon < decoded.length - 1) {
    const password = decoded.slice(colon + 1);
    return password.length >= 4 ? [decoded, password] : [decoded];
  }
  return /[^A-Za-z0-9+/=]/.test(decoded) || decoded.length <= 64 ? [decoded] : [];
}

function credentialMatch(start: number, end: number, value: string): RedactionMatch {
  const alsoRedact = decodedCredentials(value);
  return { start, end, rule: credentialKeyRuleName, replacement: secretPlaceholder(credentialKeyRuleName), ...(alsoRedact.length === 0 ? {} : { alsoRedact }) };
}

// A word inside every credential or phone key (the full name is read around it). Short and
// factored by first letter: a case-insensitive alternation costs time at every position.
const keyword = /p(?:ass|wd|hone)|secret|t(?:oken|el)|key|c(?:red|ookie)|auth|mobile|fax|whatsapp/gi;
const isNameCharacter = (code: number) =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45 || code === 46 || code === 36 || code === 64;
const isBlank = (character: string | undefined) => character === ' ' || character === '\t';

/** Skips `\` escapes and returns the quote character at `index`, if any. */
function quoteAt(text: string, index: number): { quote: string; next: number } | undefined {
  let cursor = index;
  while (text[cursor] === '\\' && cursor - index < 4) cursor += 1;
  const character = text[cursor];
  return character === '"' || character === "'" ? { quote: character, next: cursor + 1 } : undefined;
}

/**
 * Values found by their key: credentials, and phone numbers under `phone`, `tel`, `mobile`, `fax`
 * keys or labels. Values under credential keys in JSON, YAML, TOML, INI, `.env`, XML, HTTP headers, query strings,
 * command-line flags (`--password x`) and `.netrc` (`machine h login u password p`). The key is
 * found from a keyword, its full name read around it; a value is taken when it is a literal (see
 * {@link isCredentialValue}), and an unquoted value only when it ends its line or looks generated,
 * so code (`token = response.token;`, `password: string`) is kept.
 */
export const credentialKeyRule: RedactionRule = {
  name: credentialKeyRuleName,
  find(text) {
    const matches: RedactionMatch[] = [];
    keyword.lastIndex = 0;
    for (let found = keyword.exec(text); found != null; found = keyword.exec(text)) {
      let nameStart = found.index;
      while (nameStart > 0 && isNameCharacter(text.charCodeAt(nameStart - 1))) nameStart -= 1;
      let nameEnd = found.index + found[0].length;
      while (nameEnd < text.length && isNameCharacter(text.charCodeAt(nameEnd))) nameEnd += 1;
      keyword.lastIndex = nameEnd;
      const name = text.slice(nameStart, nameEnd);
      const match = isCredentialKey(name) ? valueAfterKey(text, name, nameStart, nameEnd) : isPhoneKey(name) ? phoneAfterKey(text, nameStart, nameEnd) : undefined;
      const hit = match ?? mentionAt(text, name, nameStart);
      if (hit != null) matches.push(hit);
    }
    return matches;
  },
};

/** The rule name of secrets named in prose. */
const mentionRuleName = 'secret-mention';
const mentionWords = /^(?:secret|secret[ _-]?(?:access[ _-]?)?key|token|password|passphrase|api[_-]?key|key)$/i;
const mention = /(?:secret(?:[ _-]?(?:access[ _-]?)?key)?|token|password|passphrase|api[ _-]?key)\s+(?:is\s+|was\s+|=\s*|:\s*)?([A-Za-z0-9/+=_.-]{16,256})/iy;

/**
 * A secret named in prose: `secret wJalr…`, `my token is 9f2c…`, `api key: …`: a keyword, then a
 * long value with letters and digits (one that looks generated, so ordinary words pass).
 */
function mentionAt(text: string, name: string, nameStart: number): RedactionMatch | undefined {
  if (!mentionWords.test(name)) return undefined;
  // `api key`: the keyword found is `key`; the mention starts at `api`.
  const start = /^key$/i.test(name) && /api[ _-]$/i.test(text.slice(Math.max(0, nameStart - 4), nameStart)) ? nameStart - 4 : nameStart;
  mention.lastIndex = start;
  const found = mention.exec(text);
  const value = found?.[1];
  if (found == null || value == null || !/[A-Za-z]/.test(value) || !/\d/.test(value)) return undefined;
  const end = start + found[0].length;
  return { start: end - value.length, end, rule: mentionRuleName, replacement: secretPlaceholder(mentionRuleName) };
}

/** Where the value after a key starts (past a closing quote, blanks, and `:`, `=`, `=>`, `:=` or XML's `>`), with the separator. */
function separatorAfterKey(text: string, nameStart: number, nameEnd: number): { separator: string; afterName: number; cursor: number } | undefined {
  let cursor = nameEnd;
  const openedQuote = nameStart > 0 ? text[nameStart - 1] : undefined;
  if (openedQuote === '"' || openedQuote === "'") {
    // `"password": …` closes the quote; in `'X-API-Key: …'` the quote opens a longer string.
    const closing = quoteAt(text, cursor);
    if (closing != null) cursor = closing.next;
  } else if (text[cursor] === '\\') {
    const closing = quoteAt(text, cursor);
    if (closing != null) cursor = closing.next;
  }
  const afterName = cursor;
  while (isBlank(text[cursor])) cursor += 1;
  let separator = '';
  if (openedQuote === '<' && text[cursor] === '>') separator = '>';
  else if (text.startsWith('=>', cursor) || text.startsWith(':=', cursor)) separator = text.slice(cursor, cursor + 2);
  else if (text[cursor] === ':' || text[cursor] === '=') separator = text[cursor]!;
  return { separator, afterName, cursor };
}

function valueAfterKey(text: string, name: string, nameStart: number, nameEnd: number): RedactionMatch | undefined {
  const found = separatorAfterKey(text, nameStart, nameEnd);
  if (found == null) return undefined;
  const { separator, afterName } = found;
  let { cursor } = found;
  if (separator === '') return whitespaceSeparated(text, name, nameStart, afterName, cursor);
  cursor += separator.length;
  if (separator === '=' && text[cursor] === '=') return undefined; // `==` is a comparison
  if (separator === '>') return xmlValue(text, name, cursor);
  while (isBlank(text[cursor])) cursor += 1;
  return literalValue(text, name, cursor, false);
}

/** `<password>value</password>` */
function xmlValue(text: string, name: string, start: number): RedactionMatch | undefined {
  const end = text.indexOf('<', start);
  if (end === -1 || end - start > 512) return undefined;
  const value = text.slice(start, end);
  return isCredentialValue(value, name) ? credentialMatch(start, end, value) : undefined;
}

/** `--password value` and `.netrc`'s `password value`: a key, blanks, a value, with no `=` or `:`. */
function whitespaceSeparated(text: string, name: string, nameStart: number, afterName: number, valueStart: number): RedactionMatch | undefined {
  if (valueStart === afterName) return undefined;
  const flag = name.startsWith('--');
  const netrcName = /^(?:password|passwd)$/i.test(name);
  if (!flag && !netrcName) return undefined;
  const lineStart = text.lastIndexOf('\n', nameStart - 1) + 1;
  const before = text.slice(lineStart, nameStart);
  const netrc = netrcName && (/(?:^|\s)(?:machine|login|default)\s/.test(before) || before.trim() === '');
  if (!flag && !netrc) return undefined;
  // A flag's value is the next argument, a netrc value the next token: any run without blanks.
  if (text[valueStart] === '-') return undefined;
  const match = literalValue(text, name, valueStart, true);
  if (match == null || !netrc || flag) return match;
  // A netrc line holds tokens only; `password reset flow` in prose is not one.
  const rest = text.slice(match.end, (text.indexOf('\n', match.end) + 1 || text.length + 1) - 1).trim();
  return rest === '' || /^(?:machine|login|account|default|macdef)\s/.test(rest) ? match : undefined;
}

const unquotedValue = /[^\s,;&()[\]{}'"`<>]+/y;

/** A quoted or unquoted value at `start`; `bare`: a netrc token (any non-space run). */
function literalValue(text: string, name: string, start: number, bare: boolean): RedactionMatch | undefined {
  const quote = quoteAt(text, start);
  if (quote != null) {
    const escaped = quote.next - start > 1;
    let end = quote.next;
    while (end < text.length && end - quote.next <= 512) {
      const character = text[end];
      if (character === '\n') return undefined;
      if (character === '\\') {
        if (escaped && text[end + 1] === quote.quote) break; // `\"` closes a value inside escaped JSON
        end += 2;
        continue;
      }
      if (character === quote.quote) break;
      end += 1;
    }
    if (end >= text.length || end - quote.next > 512) return undefined;
    const value = text.slice(quote.next, end);
    return isCredentialValue(value, name) ? credentialMatch(quote.next, end, value) : undefined;
  }
  unquotedValue.lastIndex = start;
  const found = bare ? /\S+/y : unquotedValue;
  found.lastIndex = start;
  const match = found.exec(text);
  if (match == null) return undefined;
  const value = match[0];
  const end = start + value.length;
  if (!isCredentialValue(value, name, false) || looksLikeCode(value)) return undefined;
  const next = text[end];
  // Ends its line (YAML, INI, .env, netrc), a query parameter or a header: a literal.
  if (next === undefined || next === '\n' || next === '\r' || next === '&' || next === '"' || next === "'") return credentialMatch(start, end, value);
  if (next === '(' || next === '[' || next === '{' || next === '<' || next === '>') return undefined;
  if (isBlank(next)) {
    let cursor = end;
    while (isBlank(text[cursor])) cursor += 1;
    const following = text[cursor];
    if (following === undefined || following === '\n' || following === '\r' || following === '#' || bare) return credentialMatch(start, end, value);
  }
  // Followed by `,`, `;`, `)` or more words: code or prose, unless the value looks generated.
  return looksGenerated(value) ? credentialMatch(start, end, value) : undefined;
}

/** `phone`, `phone_number`, `Tel`, `mobile`, `fax`, `cellPhone`, `whatsapp`: a key or label whose value is a phone number. */
function isPhoneKey(name: string): boolean {
  if (name.length > 40) return false;
  // `tel` only as a word of its own (`Tel`, `home_tel`), not the end of `hotel` or `Intel`.
  return /(?:phone|telephone|mobile|fax|whatsapp)(?:[-_.]?(?:number|no|nr))?$/i.test(name) || /(?:^|[-_.])tel$/i.test(name);
}

/** `"phone": "+49 30 1234567"`, `Tel: (030) 123 45 67`, `mobile = 0151 2345678`: the number after a phone key or label. */
function phoneAfterKey(text: string, nameStart: number, nameEnd: number): RedactionMatch | undefined {
  const found = separatorAfterKey(text, nameStart, nameEnd);
  if (found == null || found.separator === '' || found.separator === '>') return undefined;
  let cursor = found.cursor + found.separator.length;
  while (isBlank(text[cursor]) || text[cursor] === '"' || text[cursor] === "'") cursor += 1;
  return phoneNumberAt(text, cursor);
}

/**
 * A string value found under `key` in parsed JSON (tool arguments, metadata, a dataset row): the
 * whole value when the key holds a credential, the number when it holds a phone number.
 */
export function keyedValueMatch(key: string, value: string): RedactionMatch | undefined {
  if (isCredentialKey(key)) return isCredentialValue(value, key) ? credentialMatch(0, value.length, value) : undefined;
  if (!isPhoneKey(key)) return undefined;
  const start = value.length - value.trimStart().length;
  const found = phoneNumberAt(value, start);
  return found != null && found.end === value.trimEnd().length ? found : undefined;
}
