import { ForgeError } from '@forge/schema';
import { estimateTokenCount } from 'tokenx';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../test-support/fixtures.js';
import { createEstimateTokenCounter, loadTokenizerJsonCounter } from './token-counter.js';

describe('loadTokenizerJsonCounter', () => {
  it('should count the tokens of a local tokenizer.json exactly', async () => {
    const counter = await loadTokenizerJsonCounter({
      tokenizerJsonPath: fixturePath('tokenizer/tokenizer.json'),
      tokenizerConfigPath: fixturePath('tokenizer/tokenizer_config.json'),
    });
    // hello | world ##s | run ##ning | test | .
    expect(counter.count('Hello worlds running test.')).toBe(7);
    expect(counter.count('')).toBe(0);
    expect(counter.name).toBe('tokenizer.json (tokenizer)');
  });

  it('should say which file is missing', async () => {
    const promise = loadTokenizerJsonCounter({ tokenizerJsonPath: fixturePath('tokenizer/missing.json') });
    await expect(promise).rejects.toBeInstanceOf(ForgeError);
    await expect(promise).rejects.toThrow(/missing\.json: cannot read the tokenizer\.json/);
  });
});

describe('createEstimateTokenCounter', () => {
  it('should estimate more tokens for longer text and none for empty text', () => {
    const counter = createEstimateTokenCounter();
    expect(counter.count('')).toBe(0);
    const short = counter.count('function sum(values) { return values.reduce((a, b) => a + b, 0); }');
    expect(short).toBeGreaterThan(5);
    expect(counter.count('x = 1;\n'.repeat(100))).toBeGreaterThan(short);
  });

  it('should give tokenx\'s estimate, under its own name', () => {
    const counter = createEstimateTokenCounter();
    const text = 'Ändere `src/parse.ts`:\n\n  if (x) { return 42; } // 日本語のコメント。\n';
    expect(counter.count(text)).toBe(estimateTokenCount(text));
    expect(counter.name).toBe('tokenx-estimate');
  });
});
