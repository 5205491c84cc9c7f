import { type SourceEvent } from '@forge/reader-kit';
import { type Message, type Session, type SessionWarning } from '@forge/schema';
import { codexReader } from '../codex-reader.js';

/** A reader's events as whole Sessions plus the file warnings (tests only). */
export async function collect(events: AsyncIterable<SourceEvent>): Promise<{ sessions: Session[]; fileWarnings: SessionWarning[] }> {
  const sessions: Session[] = [];
  const fileWarnings: SessionWarning[] = [];
  let messages: Message[] = [];
  for await (const event of events) {
    if (event.kind === 'message') messages.push(event.message);
    else if (event.kind === 'session') {
      sessions.push({ ...event.session, messages });
      messages = [];
    } else if (event.kind === 'file-warning') fileWarnings.push(event.warning);
  }
  return { sessions, fileWarnings };
}

/** Every session under a home folder, found and read the way the CLI does it. */
export async function readHome(home: string): Promise<Session[]> {
  const sessions: Session[] = [];
  for await (const file of codexReader.discover({ homeDirectory: home, env: {} })) {
    const folded = await collect(codexReader.readFile(file));
    if (folded.fileWarnings.length > 0) throw new Error(`file warnings: ${JSON.stringify(folded.fileWarnings)}`);
    sessions.push(...folded.sessions);
  }
  return sessions;
}
