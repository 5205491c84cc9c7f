import { readSourceSessions, type SessionSourceReader } from '@forge/reader-kit';
import { parseSession, type Session, type SessionWarning } from '@forge/schema';
import { expect } from 'vitest';

/** Every session a reader finds under a home folder (found and read the way the CLI does it), and the warnings no session carries. */
export async function readReaderHome(reader: SessionSourceReader, home: string): Promise<{ sessions: Session[]; fileWarnings: SessionWarning[] }> {
  const fileWarnings: SessionWarning[] = [];
  const sessions: Session[] = [];
  for await (const session of readSourceSessions(reader, { homeDirectory: home, env: {}, onWarning: (warning) => fileWarnings.push(warning) })) sessions.push(session);
  return { sessions, fileWarnings };
}

/** The sessions under a home folder, asserting (with vitest) that no file was skipped and each is a valid Session. */
export async function sessionsUnder(reader: SessionSourceReader, home: string): Promise<Session[]> {
  const { sessions, fileWarnings } = await readReaderHome(reader, home);
  expect(fileWarnings).toEqual([]);
  for (const session of sessions) parseSession(session);
  return sessions;
}
