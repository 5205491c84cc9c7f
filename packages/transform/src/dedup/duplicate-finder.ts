import { type XXHashAPI } from 'xxhash-wasm';
import { compareStrings } from '../conversation/infer-tool-definitions.js';
import { MinHasher, type MinHashAccumulator, type MinHashParameters } from './minhash.js';

/** Which duplicate detection runs. */
export interface DedupOptions {
  /** Same normalized content (default true). */
  exact?: boolean;
  /** MinHash + LSH near-duplicates (default true). */
  nearDuplicates?: boolean;
  /** MinHash parameters; default datatrove's 5-gram, 14 × 8. */
  minHash?: MinHashParameters;
}

/** A copy that lost to a better-scored one. */
export interface DuplicateDrop {
  key: string;
  keptKey: string;
  kind: 'exact' | 'near';
}

/**
 * The whitespace that normalizing replaces by one space: every run of two or more, and a single
 * whitespace character that is not a space. The same result as replacing every `\s+` run, but a
 * lone space (most of them, between words) is no match, so the replace does a third of the work.
 */
const collapsibleWhitespace = /\s{2,}|[^\S ]/g;

/** Collapses whitespace and case, so copies that differ only in formatting hash the same. */
export function normalizeForExactHash(text: string): string {
  return text.toLowerCase().replace(collapsibleWhitespace, ' ').trim();
}

/**
 * What dedup needs of one item, computed where the item is built (the per-session path, later in
 * a worker): plain data, so the finder never sees the text.
 */
export interface DuplicateSignature {
  /** Hash of the normalized full text: equal for exact duplicates. */
  exactHash: string;
  /** LSH band keys of the MinHash signature of the near-duplicate text (none when that detection is off). */
  bandKeys: string[];
}

/** Computes {@link DuplicateSignature}s with the dedup options' MinHash parameters. */
export class DuplicateSigner {
  private readonly minHasher: MinHasher;

  constructor(
    private readonly hash: XXHashAPI,
    private readonly options: DedupOptions = {},
  ) {
    this.minHasher = new MinHasher(hash, options.minHash);
  }

  /** The signature of an item by its full text (exact hash) and the text compared for near-duplicates (default the full text). */
  sign(text: string, nearDuplicateText: string = text): DuplicateSignature {
    const builder = this.begin();
    builder.addText(text);
    builder.addNearDuplicateText(nearDuplicateText);
    return builder.finish();
  }

  /** The same signature over texts given in parts, in order (each part as if joined to the last by a newline): nothing is held but hash state. */
  begin(): DuplicateSignatureBuilder {
    return new DuplicateSignatureBuilder(this.hash, (this.options.nearDuplicates ?? true) ? this.minHasher : undefined);
  }
}

/** Builds a {@link DuplicateSignature} from the parts of its texts (see {@link DuplicateSigner.begin}). */
export class DuplicateSignatureBuilder {
  readonly #exact: ReturnType<XXHashAPI['create64']>;
  readonly #near: MinHashAccumulator | undefined;
  #started = false;
  #pendingSpace = false;
  #parts = 0;

  constructor(
    hash: XXHashAPI,
    private readonly minHasher: MinHasher | undefined,
  ) {
    this.#exact = hash.create64();
    this.#near = minHasher?.begin();
  }

  /** The next part of the full text, hashed as {@link normalizeForExactHash} would see the joined text. */
  addText(part: string): void {
    if (this.#parts > 0) this.#addNormalized('\n');
    this.#parts += 1;
    this.#addNormalized(part);
  }

  /** The next part of the near-duplicate text. */
  addNearDuplicateText(part: string): void {
    this.#near?.add(part);
  }

  finish(): DuplicateSignature {
    return {
      exactHash: this.#exact.digest().toString(16).padStart(16, '0'),
      bandKeys: this.#near == null || this.minHasher == null ? [] : this.minHasher.bandKeys(this.#near.signature()),
    };
  }

  /** Lower-cased, each run of whitespace one space, none at either end: across parts as within one. */
  #addNormalized(text: string): void {
    let body = text.toLowerCase().replace(collapsibleWhitespace, ' ');
    if (body.startsWith(' ')) {
      if (this.#started) this.#pendingSpace = true;
      body = body.slice(1);
    }
    if (body === '') return;
    const trailing = body.endsWith(' ');
    if (trailing) body = body.slice(0, -1);
    if (this.#pendingSpace) this.#exact.update(' ');
    this.#exact.update(body);
    this.#started = true;
    this.#pendingSpace = trailing;
  }
}

interface Entry {
  key: string;
  score: number;
  exactHash: string;
}

/**
 * A {@link DuplicateSignature} as a merge holds it until it decides (scores come late): each LSH
 * band key as a 53-bit number (two seeded xxhash32s of the key) instead of its ~70-character
 * string, a seventh of the memory per item. Two different band keys share a number with odds of
 * 2^-53 per pair: about 2·10^-5 that any two do in a 40,000-session corpus (~14 bands each), about
 * 1% in a million-session one: far below the false matches LSH itself makes (bands are not verified).
 */
export interface HeldSignature {
  exactHash: string;
  bands: number[];
}

/** The signature `signature` is held as (see {@link HeldSignature}). */
export function holdSignature(hash: XXHashAPI, { exactHash, bandKeys }: DuplicateSignature): HeldSignature {
  return { exactHash, bands: bandKeys.map((bandKey) => hash.h32(bandKey, 0) * 2 ** 21 + (hash.h32(bandKey, 1) >>> 11)) };
}

/**
 * Finds duplicate items (exact normalized-content hash, and MinHash/LSH near-duplicates) across
 * everything added, and keeps the best-scored copy of each cluster (ties: the smaller key).
 * Only hashes are kept per item, so memory stays small; the order items are added in does not matter.
 */
export class DuplicateFinder {
  private readonly entries: Entry[] = [];
  private readonly parents: number[] = [];
  private readonly byExactHash = new Map<string, number>();
  private readonly byBand = new Map<number, number>();

  constructor(private readonly options: DedupOptions = {}) {}

  private find(index: number): number {
    let root = index;
    while (this.parents[root] !== root) root = this.parents[root]!;
    while (this.parents[index] !== root) {
      const next = this.parents[index]!;
      this.parents[index] = root;
      index = next;
    }
    return root;
  }

  private union(left: number, right: number): void {
    const leftRoot = this.find(left);
    const rightRoot = this.find(right);
    if (leftRoot !== rightRoot) this.parents[Math.max(leftRoot, rightRoot)] = Math.min(leftRoot, rightRoot);
  }

  /** Registers one item by its unique key, its quality score and its signature (held: {@link holdSignature}). */
  add(key: string, score: number, { exactHash, bands }: HeldSignature): void {
    const index = this.entries.length;
    this.entries.push({ key, score, exactHash });
    this.parents.push(index);
    if (this.options.exact ?? true) {
      const same = this.byExactHash.get(exactHash);
      if (same == null) this.byExactHash.set(exactHash, index);
      else this.union(same, index);
    }
    if (this.options.nearDuplicates ?? true) {
      for (const band of bands) {
        const same = this.byBand.get(band);
        if (same == null) this.byBand.set(band, index);
        else this.union(same, index);
      }
    }
  }

  /** The copies to drop, each with the copy kept instead. Independent of the order items were added. */
  resolve(): DuplicateDrop[] {
    const clusters = new Map<number, Entry[]>();
    this.entries.forEach((entry, index) => {
      const root = this.find(index);
      const cluster = clusters.get(root);
      if (cluster == null) clusters.set(root, [entry]);
      else cluster.push(entry);
    });
    const drops: DuplicateDrop[] = [];
    for (const cluster of clusters.values()) {
      if (cluster.length < 2) continue;
      cluster.sort((left, right) => right.score - left.score || compareStrings(left.key, right.key));
      const kept = cluster[0]!;
      for (const entry of cluster.slice(1)) {
        drops.push({ key: entry.key, keptKey: kept.key, kind: entry.exactHash === kept.exactHash ? 'exact' : 'near' });
      }
    }
    return drops.sort((left, right) => compareStrings(left.key, right.key));
  }
}
