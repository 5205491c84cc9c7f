import { readSourceSessions } from '@forge/reader-kit';
import { type Session, type SessionWarning } from '@forge/schema';
import { opencodeReader } from '../opencode-reader.js';

/** Every session under a home folder, found and read the way the CLI does it, and the warnings no session carries. */
export async function readHome(home: string): Promise<{ sessions: Session[]; fileWarnings: SessionWarning[] }> {
  const fileWarnings: SessionWarning[] = [];
  const sessions: Session[] = [];
  for await (const session of readSourceSessions(opencodeReader, { homeDirectory: home, env: {}, onWarning: (warning) => fileWarnings.push(warning) })) sessions.push(session);
  return { sessions, fileWarnings };
}
