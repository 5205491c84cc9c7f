import { type SessionWarning, type SessionWarningKind } from '@forge/schema';

/** Collects a file's warnings: line-level ones as they come, repeated kinds counted once. */
export class WarningCollector {
  readonly file: string;
  private readonly warnings: SessionWarning[] = [];
  private readonly counted = new Map<string, SessionWarning>();

  constructor(file: string) {
    this.file = file;
  }

  /** One warning, usually tied to a line. */
  add(warning: { kind: SessionWarningKind; message: string; line?: number }): void {
    const entry: SessionWarning = { file: this.file, kind: warning.kind, message: warning.message };
    if (warning.line != null) entry.line = warning.line;
    this.warnings.push(entry);
  }

  /** A warning counted per (kind, key): one entry with `count`, the first line kept. */
  count(kind: SessionWarningKind, message: string, key = '', line?: number): void {
    const id = `${kind}\u0000${key}`;
    const existing = this.counted.get(id);
    if (existing != null) {
      existing.count = (existing.count ?? 1) + 1;
      return;
    }
    const entry: SessionWarning = { file: this.file, kind, message, count: 1 };
    if (line != null) entry.line = line;
    this.counted.set(id, entry);
    this.warnings.push(entry);
  }

  /** A copy of every warning so far, in the order first seen. */
  list(): SessionWarning[] {
    return this.warnings.map((warning) => ({ ...warning }));
  }

  get size(): number {
    return this.warnings.length;
  }
}
