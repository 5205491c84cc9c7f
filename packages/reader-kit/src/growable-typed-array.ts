/** The typed arrays a growable column can hold. */
export type NumberArray = Int32Array | Uint32Array | Float64Array | Uint8Array;

/**
 * A typed array that grows as values are pushed: per-line and per-entry columns of files with
 * millions of lines cost a few bytes a value, not a JS array's 8+ bytes plus boxing.
 * `growth` is the factor it grows by (1.5 wastes less on big files; 2 reallocates less often).
 */
export class GrowableTypedArray<T extends NumberArray> {
  /** The storage; values past `length` are unused capacity. Read `data[index]` directly on hot paths. */
  data: T;
  length = 0;
  readonly #growth: number;

  constructor(create: (length: number) => T, options: { initialLength?: number; growth?: number } = {}) {
    this.data = create(options.initialLength ?? 1024);
    this.#growth = options.growth ?? 2;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index] ?? 0;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  /** Makes room for at least `length` values (for columns filled by index, not by `push`). */
  reserve(length: number): void {
    if (length <= this.data.length) return;
    const next = new (this.data.constructor as new (length: number) => T)(Math.max(length, Math.ceil(this.data.length * this.#growth)));
    next.set(this.data);
    this.data = next;
  }

  /** The values pushed so far (a view, not a copy). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}
