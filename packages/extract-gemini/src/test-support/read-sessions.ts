import { type SourceEvent } from '@forge/reader-kit';
import { type Message, type Session, type SessionWarning } from '@forge/schema';
import { geminiReader } from '../gemini-reader.js';

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
export async function readHome(home: string): Promise<{ sessions: Session[]; fileWarnings: SessionWarning[] }> {
  const all = { sessions: [] as Session[], fileWarnings: [] as SessionWarning[] };
  for await (const file of geminiReader.discover({ homeDirectory: home, env: {} })) {
    const folded = await collect(geminiReader.readFile(file));
    all.sessions.push(...folded.sessions);
    all.fileWarnings.push(...folded.fileWarnings);
  }
  return all;
}
