/** A growable array of 32-bit integers, for per-entry data of files with millions of entries. */
export class GrowableInt32Array {
  #data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.#data.length) {
      const bigger = new Int32Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.length++] = value;
  }

  get(index: number): number {
    return this.#data[index] ?? 0;
  }

  set(index: number, value: number): void {
    this.#data[index] = value;
  }
}

/** A growable array of doubles (byte offsets beyond 2 GiB). */
export class GrowableFloat64Array {
  #data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.#data.length) {
      const bigger = new Float64Array(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.length++] = value;
  }

  get(index: number): number {
    return this.#data[index] ?? 0;
  }
}

const HEX_ID = /^[0-9a-f]{8}$/u;

/**
 * Entry id → entry index. pi-family ids are 8 lowercase hex digits, so they are stored as 32-bit
 * keys in an open-addressing table (8 bytes a slot) instead of a Map of strings (about 60 bytes an
 * entry); any other id shape goes to a small Map. Keeps a multi-GB file's index in tens of MB.
 */
export class EntryIdIndex {
  #keys = new Uint32Array(1 << 12);
  #values = new Int32Array(1 << 12).fill(-1);
  #size = 0;
  readonly #other = new Map<string, number>();

  set(id: string, index: number): void {
    if (!HEX_ID.test(id)) {
      this.#other.set(id, index);
      return;
    }
    // Grow at 3/4 load: linear probing stays short, and the table stays at 8-16 bytes an entry.
    if ((this.#size + 1) * 4 > this.#keys.length * 3) this.#grow();
    if (this.#insert(Number.parseInt(id, 16), index)) this.#size += 1;
  }

  /** The index of an id, or -1. */
  get(id: string): number {
    if (!HEX_ID.test(id)) return this.#other.get(id) ?? -1;
    const key = Number.parseInt(id, 16);
    const mask = this.#keys.length - 1;
    for (let slot = this.#slotOf(key); ; slot = (slot + 1) & mask) {
      const value = this.#values[slot] ?? -1;
      if (value === -1) return -1;
      if (this.#keys[slot] === key) return value;
    }
  }

  #slotOf(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> 0) & (this.#keys.length - 1);
  }

  /** Returns true when the key was new (a repeated id keeps the later index). */
  #insert(key: number, index: number): boolean {
    const mask = this.#keys.length - 1;
    for (let slot = this.#slotOf(key); ; slot = (slot + 1) & mask) {
      if ((this.#values[slot] ?? -1) === -1) {
        this.#keys[slot] = key;
        this.#values[slot] = index;
        return true;
      }
      if (this.#keys[slot] === key) {
        this.#values[slot] = index;
        return false;
      }
    }
  }

  #grow(): void {
    const keys = this.#keys;
    const values = this.#values;
    this.#keys = new Uint32Array(keys.length * 2);
    this.#values = new Int32Array(keys.length * 2).fill(-1);
    for (let slot = 0; slot < keys.length; slot += 1) {
      const value = values[slot] ?? -1;
      if (value !== -1) this.#insert(keys[slot] ?? 0, value);
    }
  }
}
