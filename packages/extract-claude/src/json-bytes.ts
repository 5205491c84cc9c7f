/** The bytes of JSON's structure, and the key lookup, shared by the walks over a line's bytes (`scanClaudeLine`, `summaryLineText`). */

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;

/** The position of the first byte at or after `position` (before `end`) that is no JSON whitespace. */
export function skipJsonSpace(buffer: Uint8Array, position: number, end: number): number {
  while (position < end) {
    const byte = buffer[position];
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) break;
    position += 1;
  }
  return position;
}

/** Keys to find, by length: a key of another length is passed over without a look at its bytes. */
export type KeyTable = Array<Array<[Uint8Array, number]> | undefined>;

export function keyTable(keys: ReadonlyArray<readonly [string, number]>): KeyTable {
  const table: KeyTable = [];
  for (const [key, code] of keys) (table[key.length] ??= []).push([Buffer.from(key, 'latin1'), code]);
  return table;
}

/** The code of the key whose bytes (unescaped, between its quotes) are `buffer[start, end)`, or -1 for a key not in `table`. */
export function keyCode(buffer: Uint8Array, start: number, end: number, table: KeyTable): number {
  const length = end - start;
  const candidates = table[length];
  if (candidates == null) return -1;
  for (const [bytes, code] of candidates) {
    let index = 0;
    while (index < length && buffer[start + index] === bytes[index]) index += 1;
    if (index === length) return code;
  }
  return -1;
}
