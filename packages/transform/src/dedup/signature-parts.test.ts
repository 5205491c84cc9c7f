import xxhash from 'xxhash-wasm';
import { describe, expect, it } from 'vitest';
import { DuplicateSigner } from './duplicate-finder.js';

/** Deterministic pseudo-random text with runs of whitespace, capitals and punctuation at part edges. */
function parts(seed: number, count: number): string[] {
  let state = seed;
  const next = (limit: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % limit;
  };
  const pieces = ['Word', 'fix', ' ', '  ', '\n', '\t', 'ÄÖÜ', 'x.y', ',', '', 'Σ', 'tests PASS', ' leading', 'trailing '];
  return Array.from({ length: count }, () => Array.from({ length: next(6) }, () => pieces[next(pieces.length)]!).join(''));
}

describe('DuplicateSigner.begin', () => {
  it('should sign a text given in parts exactly as the joined text', async () => {
    const signer = new DuplicateSigner(await xxhash());
    for (let seed = 1; seed <= 200; seed += 1) {
      const list = parts(seed, 1 + (seed % 9));
      const builder = signer.begin();
      for (const part of list) {
        builder.addText(part);
        builder.addNearDuplicateText(part);
      }
      expect(builder.finish()).toEqual(signer.sign(list.join('\n')));
    }
  });
});
