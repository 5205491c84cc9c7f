import { estimateTokenCount } from 'tokenx';

// tokenx's estimate (2.2) at the speed of one scan. tokenx splits a text with a regex into runs of
// whitespace, of ASCII punctuation, of CJK punctuation and the words between, then tests each piece
// with up to eight more regexes: 10–20 MB/s, a third of the CPU of a long session. Here one scan over
// char codes finds the same pieces and estimates the ASCII ones by tokenx's rules; a piece with
// any other character is handed to tokenx itself (a piece alone is cut and estimated as in the
// whole text), so those rules stay tokenx's. estimate-tokens.test.ts compares with tokenx.

// A code unit's facts, one byte: its class (tokenx's runs), whether it is an ASCII digit, an ASCII
// lower-case letter, ASCII at all; 0 until first seen.
const other = 0;
const whitespace = 1;
const punctuation = 2;
const cjkPunctuation = 3;
const classBits = 3;
const digit = 4;
const lowercase = 8;
const ascii = 16;
const known = 32;
// tokenx's PATTERNS.punctuation and PATTERNS.cjkPunctuation, and \s.
const punctuationPattern = /[.,!?;(){}[\]<>:/\\|@#$%^&*+=`~_"-]/u;
const cjkPunctuationPattern = /[\u3001-\u3003\u3008-\u3011\u3014-\u301F\u3030\u30FB\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]/u;
const whitespacePattern = /\s/u;

const facts = new Uint8Array(0x10000);
for (let code = 0; code < 0x80; code += 1) learn(code);

function learn(code: number): number {
  // A lone surrogate tests as no class, as in tokenx's non-unicode regexes.
  const character = code >= 0xd800 && code <= 0xdfff ? '' : String.fromCharCode(code);
  const kind = character === '' ? other : whitespacePattern.test(character) ? whitespace : punctuationPattern.test(character) ? punctuation : cjkPunctuationPattern.test(character) ? cjkPunctuation : other;
  const found = known | kind | (code < 0x80 ? ascii : 0) | (code >= 0x30 && code <= 0x39 ? digit : 0) | (code >= 0x61 && code <= 0x7a ? lowercase : 0);
  facts[code] = found;
  return found;
}

function classAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return (facts[code] || learn(code)) & classBits;
}

/** tokenx's `estimateTokenCount(text)` with the default options, exactly. */
export function estimateTokens(text: string): number {
  const length = text.length;
  let total = 0;
  let index = 0;
  while (index < length) {
    const start = index;
    const kind = classAt(text, index);
    if (kind === whitespace) {
      // One token for indentation or a blank line (a line break followed by more whitespace); a
      // lone trailing line break is one unless it follows punctuation; other whitespace is free.
      let newline = false;
      let afterNewline = false;
      let structured = false;
      for (; index < length && classAt(text, index) === whitespace; index += 1) {
        if (afterNewline) structured = true;
        afterNewline = text.charCodeAt(index) === 10;
        if (afterNewline) newline = true;
      }
      if (structured) total += 1;
      else if (newline) {
        const before = start === 0 ? other : classAt(text, start - 1);
        if (before !== punctuation && before !== cjkPunctuation) total += 1;
      }
    } else if (kind === punctuation) {
      while (index < length && classAt(text, index) === punctuation) index += 1;
      const runLength = index - start;
      total += runLength <= 3 ? 1 : Math.ceil(runLength / 6);
    } else if (kind === cjkPunctuation) {
      while (index < length && classAt(text, index) === cjkPunctuation) index += 1;
      total += estimateTokenCount(text.slice(start, index));
    } else {
      // A word: what all its characters are.
      let all = ascii | digit | lowercase;
      for (; index < length; index += 1) {
        const code = text.charCodeAt(index);
        const found = facts[code] || learn(code);
        if ((found & classBits) !== other) break;
        all &= found;
      }
      const wordLength = index - start;
      if ((all & ascii) === 0) {
        // tokenx joins a word holding CJK with the CJK punctuation after it: take that run along
        // (a word without CJK is estimated apart from it just the same).
        while (index < length && classAt(text, index) === cjkPunctuation) index += 1;
        total += estimateTokenCount(text.slice(start, index));
      } else if ((all & digit) !== 0) total += Math.ceil(wordLength / 3);
      else if (wordLength <= 3 || (wordLength <= 8 && (all & lowercase) !== 0)) total += 1;
      else total += Math.ceil(wordLength / 7);
    }
  }
  return total;
}
