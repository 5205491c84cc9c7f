import { stat } from 'node:fs/promises';
import { readClaudeSession } from '@forge/extract-claude';
import { PiSessionError, readPiSession } from '@forge/extract-pir';
import { ForgeError, type Session, type SessionWarning } from '@forge/schema';

/**
 * Reads one session file of any source: a pi-family file announces itself with its header; any
 * other JSONL is read as a Claude Code transcript.
 */
export async function readSessionFile(path: string): Promise<{ sessions: Session[]; fileWarnings: SessionWarning[] }> {
  const info = await stat(path).catch((error: unknown) => {
    throw new ForgeError({ message: `cannot read ${path}: ${(error as Error).message}`, code: 'usage', location: { file: path }, hint: 'pass the path of a session .jsonl file', cause: error });
  });
  if (!info.isFile()) throw new ForgeError({ message: `not a file: ${path}`, code: 'usage', location: { file: path }, hint: 'pass the path of a session .jsonl file' });
  const fileWarnings: SessionWarning[] = [];
  try {
    const sessions = await readPiSession(path, { onWarning: (warning) => fileWarnings.push(warning) });
    return { sessions, fileWarnings };
  } catch (error) {
    if (!(PiSessionError.isInstance(error) && error.code === 'not-a-pi-session')) throw error;
  }
  fileWarnings.length = 0;
  const sessions = await readClaudeSession(path, { onWarning: (warning) => fileWarnings.push(warning) });
  return { sessions, fileWarnings };
}
