import { GrowableTypedArray } from '@forge/reader-kit';

const hexDigits = '0123456789abcdef';
const emptySlot = 0;

/** Where a canonical uuid has its dashes. */
function isDashPosition(index: number): boolean {
  return index === 8 || index === 13 || index === 18 || index === 23;
}

/** The value of a lowercase hex digit's char code, or -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * uuid → row for the rows of a line table, in typed arrays: a canonical lowercase uuid is held as
 * 16 bytes (four 32-bit words) in an open-addressing hash table, not as a 56-byte string plus a
 * Map entry, which is most of a big file's index. Other ids (hand-written files) fall back to a Map.
 */
export class UuidIndex {
  /** Four words per row; rows with a non-canonical uuid hold zeros and are in `others`. */
  private readonly wordColumn = new GrowableTypedArray((length) => new Int32Array(length), { initialLength: 4 * 64, growth: 1.5 });
  private get words(): Int32Array {
    return this.wordColumn.data;
  }
  /** Open addressing, linear probing: row + 1, or 0 when empty. */
  private slots = new Int32Array(128);
  private used = 0;
  private readonly otherRows = new Map<string, number>();
  private readonly others = new Map<number, string>();
  private readonly parsed = new Int32Array(4);

  /** `compact: false` keeps every uuid in a Map: faster for a file whose lines are all held anyway. */
  constructor(private readonly compact = true) {}

  /** The row of a uuid, or undefined. */
  rowOf(uuid: string): number | undefined {
    if (!this.parse(uuid)) return this.otherRows.get(uuid);
    const row = this.slots[this.find()] ?? emptySlot;
    return row === emptySlot ? undefined : row - 1;
  }

  /** Records `uuid` as the uuid of `row` (rows are added once each, in increasing order). */
  set(uuid: string, row: number): void {
    if (this.compact) this.wordColumn.reserve(4 * (row + 1));
    // Before parsing: rehashing uses `parsed` too.
    // At most three quarters full: probes stay short for random ids.
    if (this.compact && 4 * (this.used + 1) > 3 * this.slots.length) this.rehash();
    if (!this.parse(uuid)) {
      this.otherRows.set(uuid, row);
      this.others.set(row, uuid);
      return;
    }
    this.words.set(this.parsed, 4 * row);
    this.slots[this.find()] = row + 1;
    this.used += 1;
  }

  /** The uuid of a row, as written. */
  uuidOf(row: number): string {
    const other = this.others.get(row);
    if (other != null) return other;
    let text = '';
    for (let word = 0; word < 4; word += 1) {
      const value = this.words[4 * row + word] ?? 0;
      for (let shift = 28; shift >= 0; shift -= 4) {
        if (isDashPosition(text.length)) text += '-';
        text += hexDigits[(value >>> shift) & 15];
      }
    }
    return text;
  }

  /** Reads a canonical lowercase uuid into `parsed`; false for anything else (or when not compact). */
  private parse(uuid: string): boolean {
    if (!this.compact || uuid.length !== 36) return false;
    let word = 0;
    let digits = 0;
    let value = 0;
    for (let index = 0; index < 36; index += 1) {
      const code = uuid.charCodeAt(index);
      if (isDashPosition(index)) {
        if (code !== 45) return false;
        continue;
      }
      const digit = hexValue(code);
      if (digit < 0) return false;
      value = (value << 4) | digit;
      digits += 1;
      if (digits === 8) {
        this.parsed[word] = value;
        word += 1;
        digits = 0;
        value = 0;
      }
    }
    return true;
  }

  /** The slot of `parsed`: where it is, or the empty slot where it would go. */
  private find(): number {
    const [first = 0, second = 0, third = 0, fourth = 0] = this.parsed;
    const mask = this.slots.length - 1;
    let slot = Math.imul(first ^ Math.imul(second, 0x9e3779b1) ^ Math.imul(third, 0x85ebca6b) ^ Math.imul(fourth, 0xc2b2ae35), 0x27d4eb2f) & mask;
    for (;;) {
      const entry = this.slots[slot] ?? emptySlot;
      if (entry === emptySlot) return slot;
      const at = 4 * (entry - 1);
      if (this.words[at] === first && this.words[at + 1] === second && this.words[at + 2] === third && this.words[at + 3] === fourth) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (const entry of old) {
      if (entry === emptySlot) continue;
      this.parsed.set(this.words.subarray(4 * (entry - 1), 4 * entry));
      this.slots[this.find()] = entry;
    }
  }
}
