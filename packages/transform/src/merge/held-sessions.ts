import { type XXHashAPI } from 'xxhash-wasm';
import { compareStrings } from '../conversation/infer-tool-definitions.js';
import { holdSignature, type DuplicateSignature, type HeldSignature } from '../dedup/duplicate-finder.js';
import { type RowReference, type RowStore } from '../row-store.js';
import { type SkippedItem } from '../session/process-session.js';
import { type LateLabels, type MergedSession } from './dataset-merger.js';

/** The bookkeeping of an accepted session as it waits for `finish()`: all the merge needs of it but its duplicate signature (held apart, in one pool). */
export type SessionRecord = MergedSession & { parts: SkippedItem[] };

/**
 * The accepted sessions a merge holds between `add` and `finish()`, in the order they were added.
 * With a row store that spills (`RowStore.spills`), each session's bookkeeping (labels, facts,
 * token counts, row references, parts left out) waits there as one JSON line: memory keeps its
 * key, the line's reference, its late score and its signature in typed arrays, ~250 bytes a
 * session instead of ~2.7 KB of objects, so a merge's memory barely grows with the corpus while
 * the sessions are read, and `finish()` reads each record back when it needs it. Otherwise the
 * records stay objects (no text is encoded twice).
 */
export class HeldSessions {
  readonly #hash: XXHashAPI;
  readonly #store: RowStore;
  readonly #keys: string[] = [];
  readonly #indexOf = new Map<string, number>();
  readonly #records: (RowReference | SessionRecord)[] = [];
  /** The late score of each session (NaN: none given). */
  #lateScores = new Float64Array(1024);
  /** Late beads, by session index: only the sessions given some. */
  readonly #lateBeads = new Map<number, string[]>();
  /** The exact hash of each session's signature (undefined: the session has none). */
  readonly #exactHashes: (string | undefined)[] = [];
  /** Every held band, session after session; session `i`'s are `#bands[#bandEnds[i - 1] .. #bandEnds[i]]`. */
  #bands = new Float64Array(16384);
  #bandEnds = new Uint32Array(1024);

  constructor(hash: XXHashAPI, store: RowStore) {
    this.#hash = hash;
    this.#store = store;
  }

  get size(): number {
    return this.#keys.length;
  }

  has(key: string): boolean {
    return this.#indexOf.has(key);
  }

  /** Holds a session; `signature` is what the duplicate finder will get (none: the session is never a duplicate). */
  add(record: SessionRecord, signature: DuplicateSignature | undefined): void {
    const index = this.#keys.length;
    this.#keys.push(record.key);
    this.#indexOf.set(record.key, index);
    this.#records.push(this.#store.spills === true ? this.#store.put(JSON.stringify(record)) : record);
    if (index >= this.#lateScores.length) {
      this.#lateScores = grown(this.#lateScores, index + 1);
      this.#bandEnds = grown(this.#bandEnds, index + 1);
    }
    this.#lateScores[index] = Number.NaN;
    const held = signature == null ? undefined : holdSignature(this.#hash, signature);
    this.#exactHashes.push(held?.exactHash);
    const start = index === 0 ? 0 : this.#bandEnds[index - 1]!;
    const bands = held?.bands ?? [];
    if (start + bands.length > this.#bands.length) this.#bands = grown(this.#bands, start + bands.length);
    this.#bands.set(bands, start);
    this.#bandEnds[index] = start + bands.length;
  }

  /** Gives a held session its late labels (a later call's score wins; its beads too, when it has some). False: no session has the key. */
  label(key: string, labels: LateLabels): boolean {
    const index = this.#indexOf.get(key);
    if (index == null) return false;
    this.#lateScores[index] = labels.score;
    if (labels.beads != null) this.#lateBeads.set(index, [...labels.beads]);
    return true;
  }

  /** The sessions' indexes (the order they were added) sorted by key. */
  keyOrder(): number[] {
    return this.#keys.map((_key, index) => index).sort((left, right) => compareStrings(this.#keys[left]!, this.#keys[right]!));
  }

  key(index: number): string {
    return this.#keys[index]!;
  }

  /** A session's bookkeeping with its late labels applied (a spilled one read back: a new object each call). */
  record(index: number): SessionRecord {
    const stored = this.#records[index]!;
    const record = this.#store.spills === true ? (JSON.parse(this.#store.get(stored as RowReference)) as SessionRecord) : (stored as SessionRecord);
    const score = this.#lateScores[index]!;
    if (Number.isNaN(score)) return record;
    const beads = this.#lateBeads.get(index);
    return { ...record, labels: { ...record.labels, score, ...(beads == null ? {} : { beads: [...beads] }) }, dedupScore: score };
  }

  /** A session's held duplicate signature (none: it is never a duplicate). */
  signature(index: number): HeldSignature | undefined {
    const exactHash = this.#exactHashes[index];
    return exactHash == null ? undefined : { exactHash, bands: [...this.#bands.subarray(index === 0 ? 0 : this.#bandEnds[index - 1], this.#bandEnds[index])] };
  }
}

/** A typed array at least `needed` long (doubling), with the old contents. */
function grown<T extends Float64Array | Uint32Array>(array: T, needed: number): T {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
