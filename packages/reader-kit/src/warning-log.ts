import { type SessionWarning, type SessionWarningKind } from '@forge/schema';

/**
 * Collects the warnings of one file for the readers. Repeated problems (unknown types, orphan
 * results) are counted once per key with the first line kept, so a file with 10,000 unknown
 * entries yields one warning, not 10,000.
 */
export class WarningLog {
  readonly #file: string;
  readonly #warnings: SessionWarning[] = [];
  readonly #counted = new Map<string, SessionWarning>();
  readonly #ignored: ReadonlySet<SessionWarningKind>;

  /** `ignore`: kinds another pass reports, so they are not reported twice. */
  constructor(file: string, options: { ignore?: SessionWarningKind[] } = {}) {
    this.#file = file;
    this.#ignored = new Set(options.ignore ?? []);
  }

  /** Records one problem. */
  add(kind: SessionWarningKind, message: string, line?: number): void {
    if (this.#ignored.has(kind)) return;
    this.#warnings.push(line == null ? { file: this.#file, kind, message } : { file: this.#file, kind, message, line });
  }

  /** Records a problem counted once per `key` (e.g. `unknown-entry-type:foo`). */
  addCounted(kind: SessionWarningKind, key: string, message: string, line?: number): void {
    if (this.#ignored.has(kind)) return;
    const existing = this.#counted.get(`${kind}:${key}`);
    if (existing != null) {
      existing.count = (existing.count ?? 1) + 1;
      return;
    }
    const warning: SessionWarning = line == null ? { file: this.#file, kind, message, count: 1 } : { file: this.#file, kind, message, line, count: 1 };
    this.#counted.set(`${kind}:${key}`, warning);
    this.#warnings.push(warning);
  }

  /** How many warnings so far (a counted one is one). */
  get size(): number {
    return this.#warnings.length;
  }

  /** Every warning so far, in the order found. */
  list(): SessionWarning[] {
    return this.#warnings.map((warning) => ({ ...warning }));
  }
}
