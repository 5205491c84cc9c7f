import { gunzipSync, gzipSync } from 'node:zlib';
import { type JsonValue } from '@forge/reader-kit';
import { type Message, type Session, type SessionWarning } from '@forge/schema';

// A session of a 700 MB transcript serializes to more than V8's longest string (~512 MiB), so
// JSON.stringify(session) throws. Everything here works a message at a time instead.

/** The session's fields around `messages`, in their order (as JSON.stringify keeps them). */
function splitAtMessages(session: Session): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const entries = Object.entries(session).filter(([, value]) => value !== undefined);
  const at = entries.findIndex(([key]) => key === 'messages');
  return { before: Object.fromEntries(entries.slice(0, at)), after: Object.fromEntries(entries.slice(at + 1)) };
}

/** The JSON text of a session (exactly `JSON.stringify(session)`) as pieces, none longer than its longest message. */
export function* sessionJsonPieces(session: Session): Generator<string> {
  const { before, after } = splitAtMessages(session);
  const head = JSON.stringify(before);
  const tail = JSON.stringify(after);
  yield `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"messages":[`;
  for (let index = 0; index < session.messages.length; index += 1) yield `${index === 0 ? '' : ','}${JSON.stringify(session.messages[index])}`;
  yield `]${tail.length > 2 ? `,${tail.slice(1)}` : '}'}`;
}

/** What reading one file gave, as the state cache keeps it: what `SessionSourceReader.link` needs again. */
export interface CachedFileRead {
  /** The file's Sessions, before any cross-file step. */
  sessions: Session[];
  /** Problems of the file that no Session carries. */
  fileWarnings: SessionWarning[];
  /** The file's facts for its reader's cross-file step. */
  linkFacts: JsonValue[];
}

/** Text gzipped per piece of about this many characters: concatenated gzip members are one valid gzip stream. */
const PIECE_CHARACTERS = 8 * 1024 * 1024;

/**
 * A file's read as gzipped JSON Lines: a head line, then per session its line (without messages,
 * with their count) followed by one line per message. No string holds more than one message.
 */
export function encodeFileRead(value: CachedFileRead): Buffer {
  const members: Buffer[] = [];
  let pending: string[] = [];
  let pendingCharacters = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    members.push(gzipSync(pending.join(''), { level: 1 }));
    pending = [];
    pendingCharacters = 0;
  };
  const add = (line: unknown): void => {
    const text = `${JSON.stringify(line)}\n`;
    pending.push(text);
    pendingCharacters += text.length;
    if (pendingCharacters >= PIECE_CHARACTERS) flush();
  };
  add({ sessions: value.sessions.length, fileWarnings: value.fileWarnings, linkFacts: value.linkFacts });
  for (const session of value.sessions) {
    const { before, after } = splitAtMessages(session);
    // The field order is kept, so a session from the cache serializes exactly like a fresh one.
    add({ before, after, messageCount: session.messages.length });
    for (const message of session.messages) add(message);
  }
  flush();
  return Buffer.concat(members);
}

/** The inverse of {@link encodeFileRead}. */
export function decodeFileRead(blob: Buffer): CachedFileRead {
  const bytes = gunzipSync(blob);
  let start = 0;
  const next = (): unknown => {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = bytes.length;
    const value: unknown = JSON.parse(bytes.toString('utf8', start, end));
    start = end + 1;
    return value;
  };
  const head = next() as { sessions: number; fileWarnings: SessionWarning[]; linkFacts: JsonValue[] };
  const sessions: Session[] = [];
  for (let count = 0; count < head.sessions; count += 1) {
    const { before, after, messageCount } = next() as { before: Record<string, unknown>; after: Record<string, unknown>; messageCount: number };
    const messages: Message[] = [];
    for (let index = 0; index < messageCount; index += 1) messages.push(next() as Message);
    sessions.push({ ...before, messages, ...after } as unknown as Session);
  }
  return { sessions, fileWarnings: head.fileWarnings, linkFacts: head.linkFacts };
}
