import xxhash from 'xxhash-wasm';
import { describe, expect, it } from 'vitest';
import { DuplicateFinder, DuplicateSigner, holdSignature, normalizeForExactHash, type DedupOptions } from './duplicate-finder.js';
import { MinHasher, dedupWords, estimatedSimilarity } from './minhash.js';

const hash = await xxhash();

function prose(seed: number, words: number): string {
  const vocabulary = ['parse', 'the', 'session', 'file', 'and', 'emit', 'rows', 'for', 'each', 'format', 'with', 'tools', 'redact', 'secrets', 'count', 'tokens', 'split', 'windows', 'keep', 'best'];
  let state = seed;
  const out: string[] = [];
  for (let index = 0; index < words; index += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out.push(vocabulary[state % vocabulary.length]!);
  }
  return out.join(' ');
}

/** A finder and a signer with the same options, as the builder pairs them. */
function finderFor(options: DedupOptions = {}): { add: (key: string, text: string, score: number) => void; resolve: DuplicateFinder['resolve'] } {
  const signer = new DuplicateSigner(hash, options);
  const finder = new DuplicateFinder(options);
  return { add: (key, text, score) => finder.add(key, score, holdSignature(hash, signer.sign(text))), resolve: () => finder.resolve() };
}

describe('normalizeForExactHash', () => {
  it('should ignore case and whitespace differences', () => {
    expect(normalizeForExactHash('Fix  the\n\tTest ')).toBe(normalizeForExactHash('fix the test'));
  });

  it('should make every whitespace run one space: lone tabs and newlines, mixed runs, Unicode spaces', () => {
    expect(normalizeForExactHash(' A \t b\n\nc\u00a0d\u2028e  f\u3000\ufeffg\th \r\n')).toBe('a b c d e f g h');
  });
});

describe('dedupWords', () => {
  it('should give the lower-cased runs of letters and digits, punctuation and whitespace dropped', () => {
    // `İ` lower-cases to `i` and a combining dot, which is no letter.
    expect(dedupWords(' Fix: the_BUG,\tÄÖü 42x!\n\u00a0İ ')).toEqual(['fix', 'the', 'bug', 'äöü', '42x', 'i']);
    expect(dedupWords(' -- ')).toEqual([]);
  });
});

describe('MinHasher', () => {
  it('should estimate high similarity for a small edit and low for unrelated text', () => {
    const minHasher = new MinHasher(hash);
    const base = prose(1, 600);
    const edited = `${base.slice(0, 1000)} inserted words here ${base.slice(1000)}`;
    expect(estimatedSimilarity(minHasher.signature(base), minHasher.signature(edited))).toBeGreaterThan(0.8);
    expect(estimatedSimilarity(minHasher.signature(base), minHasher.signature(prose(2, 600)))).toBeLessThan(0.3);
    expect(minHasher.bandKeys(minHasher.signature(base))).toHaveLength(14);
    // A band's key: its number, then its rows' values.
    expect(minHasher.bandKeys(Uint32Array.from({ length: 112 }, (_value, index) => index * 1000))[1]).toBe('1:8000,9000,10000,11000,12000,13000,14000,15000');
  });
});

describe('DuplicateFinder', () => {
  it('should keep the best-scored copy of exact and near duplicates and nothing else', () => {
    const finder = finderFor();
    const base = prose(3, 800);
    finder.add('a', base, 5);
    finder.add('b', base.toUpperCase(), 9);
    finder.add('c', `${base} and one more closing sentence`, 1);
    finder.add('d', prose(4, 800), 1);
    expect(finder.resolve()).toEqual([
      { key: 'a', keptKey: 'b', kind: 'exact' },
      { key: 'c', keptKey: 'b', kind: 'near' },
    ]);
  });

  it('should give the same answer whatever the order items were added in', () => {
    const texts = [prose(5, 300), prose(5, 300), `${prose(5, 300)} tail`, prose(6, 300), prose(7, 300)];
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5'];
    const forward = finderFor();
    texts.forEach((text, index) => forward.add(keys[index]!, text, 1));
    const backward = finderFor();
    [...texts.keys()].reverse().forEach((index) => backward.add(keys[index]!, texts[index]!, 1));
    expect(backward.resolve()).toEqual(forward.resolve());
    expect(forward.resolve().map((drop) => drop.key)).toEqual(['k2', 'k3']);
  });

  it('should only find exact copies when near-duplicate detection is off', () => {
    const finder = finderFor({ nearDuplicates: false });
    const base = prose(8, 400);
    finder.add('x', base, 1);
    finder.add('y', `${base} tail`, 1);
    expect(finder.resolve()).toEqual([]);
  });

  it('should sign without band keys when near-duplicate detection is off', () => {
    const text = prose(9, 100);
    expect(new DuplicateSigner(hash, { nearDuplicates: false }).sign(text)).toEqual({ exactHash: hash.h64ToString(normalizeForExactHash(text)), bandKeys: [] });
    expect(new DuplicateSigner(hash).sign(text).bandKeys).toHaveLength(14);
  });
});
