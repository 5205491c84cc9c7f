import { type XXHashAPI } from 'xxhash-wasm';

/** The two sides of the dataset. */
export type DatasetSplit = 'train' | 'validation';

/**
 * The side a session lands on: a hash of its id against the validation ratio. Every window of a
 * session lands on the same side, and the assignment never changes between runs.
 */
export function assignSplit(hash: XXHashAPI, sessionId: string, validationRatio: number): DatasetSplit {
  if (validationRatio <= 0) return 'train';
  if (validationRatio >= 1) return 'validation';
  return hash.h32(sessionId, 0x5eed5) / 0x1_0000_0000 < validationRatio ? 'validation' : 'train';
}
