import { type XXHashAPI } from 'xxhash-wasm';

/** MinHash + LSH parameters. Defaults are datatrove's: word 5-grams, 14 bands × 8 rows (threshold ≈ 0.72). */
export interface MinHashParameters {
  shingleSize: number;
  bands: number;
  rowsPerBand: number;
}

/** datatrove's parameters (field-notes §2.2). */
export const defaultMinHashParameters: MinHashParameters = { shingleSize: 5, bands: 14, rowsPerBand: 8 };

/** splitmix32: fixed seeds, so signatures are the same on every run and machine. */
function seeds(count: number, seed: number): Uint32Array {
  const values = new Uint32Array(count);
  let state = seed >>> 0;
  for (let index = 0; index < count; index += 1) {
    state = (state + 0x9e3779b9) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 16), 0x21f0aaad);
    mixed = Math.imul(mixed ^ (mixed >>> 15), 0x735a2d97);
    values[index] = (mixed ^ (mixed >>> 15)) | 1;
  }
  return values;
}

/** Lower-cases, strips punctuation and splits on whitespace, as datatrove's `simplify_text` does. */
export function dedupWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((word) => word !== '');
}

/** Computes MinHash signatures and their LSH band keys. */
export class MinHasher {
  readonly parameters: MinHashParameters;
  private readonly multipliers: Uint32Array;
  private readonly offsets: Uint32Array;

  constructor(
    private readonly hash: XXHashAPI,
    parameters: MinHashParameters = defaultMinHashParameters,
  ) {
    this.parameters = parameters;
    const size = parameters.bands * parameters.rowsPerBand;
    this.multipliers = seeds(size, 0x5eed1);
    this.offsets = seeds(size, 0x5eed2);
  }

  /** The signature: per hash function, the minimum over the text's word shingles. */
  signature(text: string): Uint32Array {
    const size = this.multipliers.length;
    const signature = new Uint32Array(size).fill(0xffffffff);
    const words = dedupWords(text);
    if (words.length === 0) return signature;
    const wordHashes = words.map((word) => this.hash.h32(word, 0));
    const shingleSize = Math.min(this.parameters.shingleSize, wordHashes.length);
    for (let start = 0; start + shingleSize <= wordHashes.length; start += 1) {
      let shingle = 0x811c9dc5;
      for (let offset = 0; offset < shingleSize; offset += 1) shingle = Math.imul(shingle ^ wordHashes[start + offset]!, 0x01000193);
      shingle ^= shingle >>> 16;
      for (let index = 0; index < size; index += 1) {
        // A cheap per-function permutation of the shingle hash (multiply, add, xor-shift).
        let value = (Math.imul(shingle, this.multipliers[index]!) + this.offsets[index]!) >>> 0;
        value = (value ^ (value >>> 15)) >>> 0;
        if (value < signature[index]!) signature[index] = value;
      }
    }
    return signature;
  }

  /** The LSH band keys of a signature: two texts sharing one are near-duplicate candidates. */
  bandKeys(signature: Uint32Array): string[] {
    const keys: string[] = [];
    const { bands, rowsPerBand } = this.parameters;
    for (let band = 0; band < bands; band += 1) {
      keys.push(`${band}:${signature.subarray(band * rowsPerBand, (band + 1) * rowsPerBand).join(',')}`);
    }
    return keys;
  }
}

/** The share of equal positions of two signatures: an estimate of the shingles' Jaccard similarity. */
export function estimatedSimilarity(left: Uint32Array, right: Uint32Array): number {
  let equal = 0;
  for (let index = 0; index < left.length; index += 1) if (left[index] === right[index]) equal += 1;
  return left.length === 0 ? 0 : equal / left.length;
}
