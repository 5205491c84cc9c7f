import { closeSync, openSync, writeSync } from 'node:fs';
import { scoringMessageView, type ScoringMessage } from '@forge/scoring';

/** Message views are written in pieces of about this many characters. */
const pieceCharacters = 1024 * 1024;

/**
 * The message views of a session read in passes (a file too big to hold), written to `path` as
 * they stream by, as the comma-separated JSON of a `messages` array's items: a multi-GB session's
 * view never sits in memory before scoring. `ViewSpill.addStreamed` takes the file.
 */
export class StreamedViewMessages {
  readonly #descriptor: number;
  #pending = '';
  #count = 0;

  constructor(readonly path: string) {
    this.#descriptor = openSync(path, 'w', 0o600);
  }

  /** The next message (its view is what is kept). */
  add(message: ScoringMessage): void {
    this.#pending += `${this.#count === 0 ? '' : ','}${JSON.stringify(scoringMessageView(message))}`;
    this.#count += 1;
    if (this.#pending.length >= pieceCharacters) this.#flush();
  }

  /** Writes what is pending and closes the file; the views are then in `path`. */
  close(): void {
    this.#flush();
    closeSync(this.#descriptor);
  }

  #flush(): void {
    if (this.#pending !== '') writeSync(this.#descriptor, this.#pending);
    this.#pending = '';
  }
}
