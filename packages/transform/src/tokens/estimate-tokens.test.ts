import { readFileSync } from 'node:fs';
import { estimateTokenCount } from 'tokenx';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../test-support/fixtures.js';
import { estimateTokens } from './estimate-tokens.js';

/** Every string in a JSON value. */
function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (value != null && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, into);
  return into;
}

/** Deterministic texts made of what tokenx tells apart: every kind of whitespace, punctuation runs, digits, words, CJK and its punctuation, the languages it knows, emoji, lone surrogates. */
function randomTexts(seed: number, howMany: number): string[] {
  const pieces = [
    'a', 'Zq', 'word', 'lowercase', 'longerlowercase', 'ABCDEFGHIJ', 'camelCase', '7', '123456', '12345678901',
    ' ', '  ', '\t', '\n', '\n\n', ' \n', '\n  ', '\r\n', '\u00a0', '\u2028', '\u3000', '\ufeff', '\v',
    '.', ',', '"', '}', ']', '{', '[', ':', '-', '_', '~', '!?', '...', '=>', '/*', '\\',
    '日本', '語', 'ひらがな', 'カタカナ', '한국어', '。', '、', '「', '」', '・', '！', '（', '＞',
    'é', 'ß', 'größer', 'ẞ', 'Ä', 'ż', 'Łódź', 'жизнь', 'ЖИЗНЬ', 'ё', 'λόγος', 'ΛΌΓΟΣ', 'µ', 'ͅ', 'ſ', 'K',
    '🎉', '🎉🎉', '👍🏽', '\ud83c', '\udf89', '\u0000', '\u007f', '€', '→', '…',
  ];
  let state = seed;
  const next = (limit: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % limit;
  };
  return Array.from({ length: howMany }, () => Array.from({ length: next(60) }, () => pieces[next(pieces.length)]!).join(''));
}

describe('estimateTokens', () => {
  it('should give tokenx\'s estimate for any text', () => {
    for (const text of randomTexts(11, 20_000)) expect(estimateTokens(text), JSON.stringify(text)).toBe(estimateTokenCount(text));
  });

  it('should give tokenx\'s estimate for every string of the session fixtures and for their JSON', () => {
    for (const name of ['claude-fix-test.session.json', 'pir-rename.session.json', 'omp-summary.session.json', 'planted-secrets.session.json']) {
      const text = readFileSync(fixturePath(name), 'utf8');
      for (const string of [text, ...stringsOf(JSON.parse(text))]) expect(estimateTokens(string), string.slice(0, 200)).toBe(estimateTokenCount(string));
    }
  });

  it('should count nothing in an empty text or bare spaces, and the edges of whitespace as tokenx does', () => {
    for (const text of ['', '   ', '\n', 'a\n', 'a.\n', '\n\n', 'x \n', '。\n', '日本。\n', '🎉\n', '\ud83c\n']) expect(estimateTokens(text), JSON.stringify(text)).toBe(estimateTokenCount(text));
    expect(estimateTokens('')).toBe(0);
  });
});
