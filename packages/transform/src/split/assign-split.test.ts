import xxhash from 'xxhash-wasm';
import { describe, expect, it } from 'vitest';
import { assignSplit } from './assign-split.js';

const hash = await xxhash();

describe('assignSplit', () => {
  it('should put about the requested share in validation, the same way every time', () => {
    const ids = Array.from({ length: 4000 }, (_, index) => `session-${index}`);
    const first = ids.map((id) => assignSplit(hash, id, 0.1));
    const second = ids.map((id) => assignSplit(hash, id, 0.1));
    expect(second).toEqual(first);
    const share = first.filter((split) => split === 'validation').length / ids.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
  });

  it('should honour the 0 and 1 extremes', () => {
    expect(assignSplit(hash, 'a', 0)).toBe('train');
    expect(assignSplit(hash, 'a', 1)).toBe('validation');
  });
});
