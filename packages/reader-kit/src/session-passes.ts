import { type Message, type SessionWarning } from '@forge/schema';
import { type ReadFileOptions, type SessionHead, type SessionSourceReader, type SourceFile } from './session-source.js';

/** One session of a file, readable in passes over the file without holding it. */
export interface FileSessionPasses {
  /** One pass: the file read again, this session's messages handed out in order and nothing kept. */
  messages(): AsyncIterable<Message>;
  /** The session without its messages, once a pass has ended; undefined when the file holds no such session. */
  head(): SessionHead | undefined;
}

/** Options of {@link sessionPassesOf}. */
export interface SessionPassesOptions extends ReadFileOptions {
  /** The file's `file-warning` events (an empty file, not a session), from its first pass. */
  onFileWarning?: (warning: SessionWarning) => void;
}

/**
 * The sessions of a file too big to hold (one multi-GB transcript), each as passes over the file
 * (`processPasses` of @forge/transform reads a session in three): a pass reads the file with the
 * reader's own `readFile` (its one engine) and hands out only that session's messages, so memory
 * is the reader's bound, whatever the file's size. The consumer of each session runs at
 * least one whole pass before asking for the next: that pass tells how many sessions the file has.
 * For standalone files only (no `link` step: a linked group needs its sessions whole).
 */
export function* sessionPassesOf(reader: SessionSourceReader, file: SourceFile, options: SessionPassesOptions = {}): Generator<FileSessionPasses> {
  const { onFileWarning, ...readOptions } = options;
  let warned = false;
  for (let wanted = 0; ; wanted += 1) {
    let head: SessionHead | undefined;
    let sessionsInFile = -1;
    yield {
      async *messages() {
        let ordinal = 0;
        const report = !warned;
        for await (const event of reader.readFile(file, readOptions)) {
          if (event.kind === 'message') {
            if (ordinal === wanted) yield event.message;
          } else if (event.kind === 'session') {
            if (ordinal === wanted) head = event.session;
            ordinal += 1;
          } else if (event.kind === 'file-warning' && report) onFileWarning?.(event.warning);
        }
        warned = true;
        sessionsInFile = ordinal;
      },
      head: () => head,
    };
    if (sessionsInFile === -1 || wanted + 1 >= sessionsInFile) return;
  }
}
