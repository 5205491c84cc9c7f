import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { secretPlaceholder, type RedactionMatch, type RedactionRule } from './redaction-rule.js';

/** Characters that, right before or after a number, make it part of something else (an id, a version, a path, a hash). */
const joined = /[\w.+\-/:#@$%\\]/;

function standsAlone(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  const after = text[end];
  // A trailing full stop or comma ends a sentence; a dot or dash followed by more digits continues the token.
  const afterJoins = after != null && joined.test(after) && !((after === '.' || after === ':' || after === '-') && !/[\w]/.test(text[end + 1] ?? ''));
  return !(before != null && joined.test(before)) && !afterJoins;
}

function match(rule: string, start: number, end: number): RedactionMatch {
  return { start, end, rule, replacement: secretPlaceholder(rule) };
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes and lengths (ISO/IEC 7812 ranges as the card networks publish them). */
function cardBrandFits(digits: string): boolean {
  const length = digits.length;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4') return length === 16 || length === 19 || length === 13;
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return length === 16;
  if (two === 34 || two === 37) return length === 15;
  if (four === 6011 || two === 65 || (four >= 6440 && four <= 6499) || two === 62) return length >= 16 && length <= 19;
  if (four >= 3528 && four <= 3589) return length >= 16 && length <= 19;
  if (two === 36 || two === 38 || (four >= 3000 && four <= 3059)) return length >= 14 && length <= 19;
  return false;
}

const cardWord = /card|visa|master|amex|american express|discover|credit|debit|\bcc\b|\bpan\b|payment/i;

// Grouped (4-4-4-4[-3], Amex 4-6-5, Diners 4-6-4) with one separator kind, or one run of 15, 16 or 19 digits.
const cardCandidate = /\b(?:[2-6]\d{3}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|3\d{3}([ -])\d{6}\2\d{4,5}|[2-6]\d{14,15}|[2-6]\d{18})\b/g;

/**
 * Payment card numbers: a known issuer prefix and length and a valid Luhn check digit, standing
 * alone (not inside a longer number, a hash, a version or a path), written in groups as people
 * write cards, or as one run of digits after a word such as "card", "visa" or "payment". Ids,
 * timestamps, sizes and hashes are kept.
 */
export const paymentCardRule: RedactionRule = {
  name: 'payment-card',
  find(text) {
    const matches: RedactionMatch[] = [];
    cardCandidate.lastIndex = 0;
    for (let found = cardCandidate.exec(text); found != null; found = cardCandidate.exec(text)) {
      const end = found.index + found[0].length;
      if (!standsAlone(text, found.index, end)) continue;
      const digits = found[0].replace(/[ -]/g, '');
      if (!cardBrandFits(digits) || !luhnValid(digits) || /^(\d)\1+$/.test(digits)) continue;
      // A bare run of digits is an id, a size or a counter unless the text says it is a card.
      if (digits.length === found[0].length && !cardWord.test(text.slice(Math.max(0, found.index - 48), found.index))) continue;
      matches.push(match('payment-card', found.index, end));
    }
    return matches;
  },
};

/** `+CC …` international numbers and North American `(415) 555-2671` / `415-555-2671`. */
const internationalCandidate = /\+\d[\d \-.()]{6,20}\d/g;
const northAmericanCandidate = /(?:\(\d{3}\) ?|\b\d{3}([-.]))\d{3}(?:\1|-)\d{4}\b/g;
function digitCount(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) if (text.charCodeAt(index) >= 48 && text.charCodeAt(index) <= 57) count += 1;
  return count;
}

/** Dates, times, versions and IP addresses that a phone-number pattern could also read. */
const notAPhoneNumber = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,3}(?:\.\d{1,3}){3}|\d+(?:\.\d+){2,}|\d{1,2}:\d{2})/;

/**
 * Phone numbers with few false positives: an international number (`+` and a country code) or a
 * North American one is kept unless the numbering plan says it is valid (libphonenumber-js, full
 * metadata). Other numbers are found after a phone key or label (`"phone": …`, `Tel: …`) by the
 * keyed-values rule, through {@link phoneNumberAt}. Version numbers, timestamps, ids, hashes and
 * line numbers fail these checks.
 */
export const phoneNumberRule: RedactionRule = {
  name: 'phone-number',
  find(text) {
    const matches: RedactionMatch[] = [];
    const add = (start: number, end: number) => matches.push(match('phone-number', start, end));
    internationalCandidate.lastIndex = 0;
    for (let found = internationalCandidate.exec(text); found != null; found = internationalCandidate.exec(text)) {
      let candidate = found[0];
      // `+1 (415) 555-2671)` : drop an unbalanced closing parenthesis.
      while (candidate.endsWith(')') && (candidate.match(/\(/g)?.length ?? 0) < (candidate.match(/\)/g)?.length ?? 0)) candidate = candidate.slice(0, -1);
      const end = found.index + candidate.length;
      const digits = digitCount(candidate);
      if (digits < 8 || digits > 15 || !standsAlone(text, found.index, end)) continue;
      // A diff's added line (`+12345678`) is not a phone number: at a line start, ask for grouping.
      const atLineStart = found.index === 0 || text[found.index - 1] === '\n';
      if (atLineStart && !/[ \-.()]/.test(candidate)) continue;
      if (isValidPhoneNumber(candidate)) add(found.index, end);
    }
    northAmericanCandidate.lastIndex = 0;
    for (let found = northAmericanCandidate.exec(text); found != null; found = northAmericanCandidate.exec(text)) {
      const end = found.index + found[0].length;
      if (standsAlone(text, found.index, end) && isValidPhoneNumber(found[0], 'US')) add(found.index, end);
    }
    return matches;
  },
};

const labelledNumber = /\+?\(?\d[\d \-.()/]{5,18}\d/y;

/** A phone number starting at `start` (after a phone key or label): 7 to 15 digits, not a date, time, version or address. */
export function phoneNumberAt(text: string, start: number): RedactionMatch | undefined {
  labelledNumber.lastIndex = start;
  const found = labelledNumber.exec(text);
  if (found == null) return undefined;
  const candidate = found[0];
  const digits = digitCount(candidate);
  const end = start + candidate.length;
  if (digits < 7 || digits > 15 || notAPhoneNumber.test(candidate.replace(/^\+/, '')) || !standsAlone(text, start, end)) return undefined;
  return match('phone-number', start, end);
}
