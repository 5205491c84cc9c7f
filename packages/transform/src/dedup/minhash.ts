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

/** A word: a run of letters and digits (everything else is punctuation or whitespace). */
const word = /[\p{L}\p{N}]+/gu;

/**
 * Lower-cases, strips punctuation and splits on whitespace, as datatrove's `simplify_text` does:
 * the runs of letters and digits, taken as they are found (no text with the rest replaced by
 * spaces, then split: the same words at ~60% of the CPU).
 */
export function dedupWords(text: string): string[] {
  return text.toLowerCase().match(word) ?? [];
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
    const accumulator = this.begin();
    accumulator.add(text);
    return accumulator.signature();
  }

  /**
   * The same signature over a text given in parts (as if joined by a separator that is no word
   * character): shingles run across the parts, only the last few word hashes are held.
   */
  begin(): MinHashAccumulator {
    return new MinHashAccumulator(this.hash, this.parameters.shingleSize, this.multipliers, this.offsets);
  }

  /** The LSH band keys of a signature: two texts sharing one are near-duplicate candidates. */
  bandKeys(signature: Uint32Array): string[] {
    const keys: string[] = [];
    const { bands, rowsPerBand } = this.parameters;
    for (let band = 0; band < bands; band += 1) {
      // `band:v1,v2,…`, concatenated: a typed array's join costs twice as much.
      const start = band * rowsPerBand;
      let key = `${band}:${signature[start]}`;
      for (let row = 1; row < rowsPerBand; row += 1) key += `,${signature[start + row]}`;
      keys.push(key);
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

/** A MinHash signature built from a text's parts as they come (see {@link MinHasher.begin}). */
export class MinHashAccumulator {
  readonly #values: Uint32Array;
  /** The last `shingleSize` word hashes, as a ring. */
  readonly #recent: Uint32Array;
  #words = 0;

  constructor(
    private readonly hash: XXHashAPI,
    private readonly shingleSize: number,
    private readonly multipliers: Uint32Array,
    private readonly offsets: Uint32Array,
  ) {
    this.#values = new Uint32Array(multipliers.length).fill(0xffffffff);
    this.#recent = new Uint32Array(shingleSize);
  }

  add(text: string): void {
    for (const word of dedupWords(text)) {
      this.#recent[this.#words % this.shingleSize] = this.hash.h32(word, 0);
      this.#words += 1;
      if (this.#words >= this.shingleSize) this.#addShingle(this.shingleSize);
    }
  }

  /** The signature of everything added (a text shorter than one shingle is one shingle of all its words). */
  signature(): Uint32Array {
    const signature = this.#values.slice();
    if (this.#words > 0 && this.#words < this.shingleSize) this.#addShingle(this.#words, signature);
    return signature;
  }

  /** Folds the shingle of the last `length` words into `into`. */
  #addShingle(length: number, into: Uint32Array = this.#values): void {
    let shingle = 0x811c9dc5;
    for (let offset = length; offset > 0; offset -= 1) shingle = Math.imul(shingle ^ this.#recent[(this.#words - offset) % this.shingleSize]!, 0x01000193);
    shingle ^= shingle >>> 16;
    for (let index = 0; index < into.length; index += 1) {
      // A cheap per-function permutation of the shingle hash (multiply, add, xor-shift).
      let value = (Math.imul(shingle, this.multipliers[index]!) + this.offsets[index]!) >>> 0;
      value = (value ^ (value >>> 15)) >>> 0;
      if (value < into[index]!) into[index] = value;
    }
  }
}
