import { closeSync, createReadStream, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type PairCandidate } from '@forge/transform';
import { type ScoringView } from '@forge/scoring';

/** What is kept beside each scoring view until scores are known. */
export interface ViewEntry {
  /** The accepted session's key in the dataset builder (none: the merge did not accept it). */
  key?: string;
  active: boolean;
  candidate?: Omit<PairCandidate, 'score'>;
}

/**
 * Scoring views written to a file as they arrive and read back once, after the last unit: a run
 * never holds every session's view. One line per view, in the order added.
 */
export class ViewSpill {
  readonly #descriptor: number;

  constructor(readonly path: string) {
    this.#descriptor = openSync(path, 'w', 0o600);
  }

  /** `view`: the view as JSON (as the worker made it: it is not parsed here). */
  add(entry: ViewEntry, view: string): void {
    const head = JSON.stringify(entry);
    writeSync(this.#descriptor, `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"view":${view}}\n`);
  }

  /**
   * The same for a view whose messages were written to the file `messagesPath` as they streamed
   * (`StreamedViewMessages`): the file is copied into the line a piece at a time, never read whole.
   */
  addStreamed(entry: ViewEntry, view: Omit<ScoringView, 'messages'>, messagesPath: string): void {
    const head = JSON.stringify(entry);
    const rest = JSON.stringify(view);
    writeSync(this.#descriptor, `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"view":{"messages":[`);
    const messages = openSync(messagesPath, 'r');
    try {
      const piece = Buffer.allocUnsafe(1024 * 1024);
      for (let count = readSync(messages, piece); count > 0; count = readSync(messages, piece)) writeSync(this.#descriptor, piece, 0, count);
    } finally {
      closeSync(messages);
    }
    writeSync(this.#descriptor, `]${rest.length > 2 ? ',' : ''}${rest.slice(1)}}\n`);
  }

  /** Every view in the order added, with its entry; closes the file for writing first. */
  async *entries(): AsyncGenerator<ViewEntry & { view: ScoringView }> {
    closeSync(this.#descriptor);
    for await (const line of createInterface({ input: createReadStream(this.path, 'utf8'), crlfDelay: Infinity })) {
      if (line !== '') yield JSON.parse(line) as ViewEntry & { view: ScoringView };
    }
  }
}
