/** The 32-bit key of an id of 8 lowercase hex digits (pi-family's shape), or -1 for any other id. */
function hexKey(id: string): number {
  if (id.length !== 8) return -1;
  let key = 0;
  for (let position = 0; position < 8; position += 1) {
    const code = id.charCodeAt(position);
    if (code >= 48 && code <= 57) key = key * 16 + (code - 48);
    else if (code >= 97 && code <= 102) key = key * 16 + (code - 87);
    else return -1;
  }
  return key;
}

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

  /** Maps `id` to `index` (a repeated id keeps the later index); returns the index it had before, or -1. */
  set(id: string, index: number): number {
    const key = hexKey(id);
    if (key === -1) {
      const previous = this.#other.get(id) ?? -1;
      this.#other.set(id, index);
      return previous;
    }
    // Grow at 3/4 load: linear probing stays short, and the table stays at 8-16 bytes an entry.
    if ((this.#size + 1) * 4 > this.#keys.length * 3) this.#grow();
    const previous = this.#insert(key, index);
    if (previous === -1) this.#size += 1;
    return previous;
  }

  /** The index of an id, or -1. */
  get(id: string): number {
    const key = hexKey(id);
    if (key === -1) return this.#other.get(id) ?? -1;
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

  /** Returns the index the key had before, or -1 when it is new. */
  #insert(key: number, index: number): number {
    const mask = this.#keys.length - 1;
    for (let slot = this.#slotOf(key); ; slot = (slot + 1) & mask) {
      const value = this.#values[slot] ?? -1;
      if (value === -1) {
        this.#keys[slot] = key;
        this.#values[slot] = index;
        return -1;
      }
      if (this.#keys[slot] === key) {
        this.#values[slot] = index;
        return value;
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
