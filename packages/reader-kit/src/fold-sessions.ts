import { type Message, type Session, type SessionWarning } from '@forge/schema';
import { type JsonValue, type SessionHead, type SourceEvent } from './session-source.js';

/** What one file's event stream folds to. */
export interface FoldedSessions {
  /** Whole Sessions, in the order their `session` events came. */
  sessions: Session[];
  /** The file's `file-warning` events (problems no Session carries). */
  fileWarnings: SessionWarning[];
  /** The file's `link-facts` events, for `SessionSourceReader.link`. */
  linkFacts: JsonValue[];
}

/**
 * A Session from its head and its messages. `messages` goes right before `warnings`, where every
 * reader has always put it, so `JSON.stringify` of a folded Session is what it was before the
 * stream became the engine.
 */
export function sessionWithMessages(head: SessionHead, messages: Message[]): Session {
  const session: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(head)) {
    if (key === 'messages') continue;
    if (key === 'warnings') session.messages = messages;
    session[key] = value;
  }
  if (!('messages' in session)) session.messages = messages;
  return session as Session;
}

/**
 * Folds a reader's events into whole Sessions, one event at a time (`add`), so a caller that
 * streams can fold as it goes. Events of one Session must be contiguous (the contract): a message
 * of another session before the pending one's `session` event is a reader bug and throws.
 */
export class SessionFold implements FoldedSessions {
  readonly sessions: Session[] = [];
  readonly fileWarnings: SessionWarning[] = [];
  readonly linkFacts: JsonValue[] = [];
  #messages: Message[] = [];
  #sessionId: string | undefined;

  add(event: SourceEvent): void {
    switch (event.kind) {
      case 'message':
        if (this.#sessionId !== undefined && this.#sessionId !== event.sessionId) {
          throw new Error(`reader bug: a message of session ${event.sessionId} arrived before session ${this.#sessionId} ended`);
        }
        this.#sessionId = event.sessionId;
        this.#messages.push(event.message);
        return;
      case 'session':
        if (this.#sessionId !== undefined && this.#sessionId !== event.session.id) {
          throw new Error(`reader bug: session ${event.session.id} ended while messages of session ${this.#sessionId} were pending`);
        }
        this.sessions.push(sessionWithMessages(event.session, this.#messages));
        this.#messages = [];
        this.#sessionId = undefined;
        return;
      case 'file-warning':
        this.fileWarnings.push(event.warning);
        return;
      case 'link-facts':
        this.linkFacts.push(event.facts);
        return;
    }
  }

  /** The folded file; throws when messages are left without their `session` event (a reader bug). */
  finish(): FoldedSessions {
    if (this.#sessionId !== undefined) throw new Error(`reader bug: the stream ended inside session ${this.#sessionId}`);
    return { sessions: this.sessions, fileWarnings: this.fileWarnings, linkFacts: this.linkFacts };
  }
}

/** Reading a whole file is a fold over its stream: `{ sessions, fileWarnings, linkFacts }`. */
export async function foldSessions(events: AsyncIterable<SourceEvent> | Iterable<SourceEvent>): Promise<FoldedSessions> {
  const fold = new SessionFold();
  for await (const event of events) fold.add(event);
  return fold.finish();
}

/** A whole Session as the events a stream sends for it: its messages, then its head (the fold's inverse). */
export function* sessionEvents(session: Session): Generator<SourceEvent> {
  const { messages, ...head } = session;
  for (const message of messages) yield { kind: 'message', sessionId: session.id, message };
  yield { kind: 'session', session: head };
}
