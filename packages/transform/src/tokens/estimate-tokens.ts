import { estimateTokenCount } from 'tokenx';

// tokenx's estimate (2.2) at the speed of one scan. tokenx splits a text with a regex into runs of
// whitespace, of ASCII punctuation, of CJK punctuation and the words between, then tests each piece
// with up to eight more regexes: ~10 MB/s, a third of the CPU of a long session. Here one scan over
// char codes finds the same pieces and estimates the ASCII ones by tokenx's rules; a piece with
// any other character is handed to tokenx itself (a piece alone is cut and estimated as in the
// whole text), so those rules stay tokenx's. estimate-tokens.test.ts compares with tokenx.
const other = 0;
const whitespace = 1;
const punctuation = 2;
const cjkPunctuation = 3;
const unknown = 255;
// tokenx's PATTERNS.punctuation and PATTERNS.cjkPunctuation, and \s.
const punctuationPattern = /[.,!?;(){}[\]<>:/\\|@#$%^&*+=`~_"-]/u;
const cjkPunctuationPattern = /[\u3001-\u3003\u3008-\u3011\u3014-\u301F\u3030\u30FB\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]/u;
const whitespacePattern = /\s/u;

/** Each UTF-16 code unit's class: ASCII's now, the others as they are first seen. */
const classes = new Uint8Array(0x10000).fill(unknown);
for (let code = 0; code < 0x80; code += 1) classOf(code);

function classOf(code: number): number {
  const known = classes[code]!;
  return known === unknown ? learnClass(code) : known;
}

function learnClass(code: number): number {
  // A lone surrogate tests as no class, as in tokenx's non-unicode regexes.
  const character = code >= 0xd800 && code <= 0xdfff ? '' : String.fromCharCode(code);
  const found = character === '' ? other : whitespacePattern.test(character) ? whitespace : punctuationPattern.test(character) ? punctuation : cjkPunctuationPattern.test(character) ? cjkPunctuation : other;
  classes[code] = found;
  return found;
}

/** tokenx's `estimateTokenCount(text)` with the default options, exactly. */
export function estimateTokens(text: string): number {
  const length = text.length;
  let total = 0;
  let index = 0;
  while (index < length) {
    const start = index;
    const kind = classOf(text.charCodeAt(index));
    if (kind === whitespace) {
      // One token for indentation or a blank line (a line break followed by more whitespace); a
      // lone trailing line break is one unless it follows punctuation; other whitespace is free.
      let newline = false;
      let structured = false;
      while (index < length && classOf(text.charCodeAt(index)) === whitespace) {
        if (newline && text.charCodeAt(index - 1) === 10) structured = true;
        if (text.charCodeAt(index) === 10) newline = true;
        index += 1;
      }
      if (structured) total += 1;
      else if (newline) {
        const before = start === 0 ? other : classOf(text.charCodeAt(start - 1));
        if (before !== punctuation && before !== cjkPunctuation) total += 1;
      }
    } else if (kind === punctuation) {
      while (index < length && classOf(text.charCodeAt(index)) === punctuation) index += 1;
      const runLength = index - start;
      total += runLength <= 3 ? 1 : Math.ceil(runLength / 6);
    } else if (kind === cjkPunctuation) {
      while (index < length && classOf(text.charCodeAt(index)) === cjkPunctuation) index += 1;
      total += estimateTokenCount(text.slice(start, index));
    } else {
      let ascii = true;
      let digits = true;
      let lowercase = true;
      for (; index < length; index += 1) {
        const code = text.charCodeAt(index);
        if (classOf(code) !== other) break;
        if (code >= 0x80) ascii = false;
        if (code < 0x30 || code > 0x39) digits = false;
        if (code < 0x61 || code > 0x7a) lowercase = false;
      }
      const wordLength = index - start;
      if (!ascii) {
        // tokenx joins a word holding CJK with the CJK punctuation after it: take that run along
        // (a word without CJK is estimated apart from it just the same).
        while (index < length && classOf(text.charCodeAt(index)) === cjkPunctuation) index += 1;
        total += estimateTokenCount(text.slice(start, index));
      } else if (digits) total += Math.ceil(wordLength / 3);
      else if (wordLength <= 3 || (wordLength <= 8 && lowercase)) total += 1;
      else total += Math.ceil(wordLength / 7);
    }
  }
  return total;
}
