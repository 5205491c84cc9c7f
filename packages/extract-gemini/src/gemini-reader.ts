import { join } from 'node:path';
import { withDetail, type SessionSourceReader } from '@forge/reader-kit';
import { discoverGeminiSessions } from './discover-gemini-sessions.js';
import { projectsFolder } from './gemini-roots.js';
import { readGeminiFile } from './read-gemini-file.js';

/** A chat file's first record: `{"sessionId":…,"projectHash":…` (JSONL, and the older whole JSON). */
const chatStart = /^\s*\{\s*"sessionId"\s*:\s*"[^"]*"\s*,\s*"projectHash"\s*:/u;
/** A saved chat: `{"history": [` (pretty-printed) or the older bare `[{"role":…`. */
const checkpointStart = /^\s*(?:\{\s*"history"\s*:\s*\[|\[\s*\{\s*"role"\s*:)/u;

/** Whether a file's first bytes are a Gemini CLI chat or saved chat. */
export function isGeminiHead(head: Buffer): boolean {
  const start = head.toString('utf8', 0, Math.min(head.length, 512)).replace(/^\uFEFF/u, '');
  return chatStart.test(start) || checkpointStart.test(start);
}

/** The Gemini CLI reader: chats, subagent chats and saved chats under `~/.gemini/tmp` (`GEMINI_CLI_HOME`). */
export const geminiReader: SessionSourceReader = {
  name: 'gemini',
  sources: ['gemini'],
  aliases: { 'gemini-cli': 'gemini' },
  homeRoots: (home) => [projectsFolder(join(home, '.gemini'))],
  discover: (options) => discoverGeminiSessions(options),
  detect: (head) => (isGeminiHead(head) ? 'gemini' : undefined),
  readFile: (file, options) => withDetail(readGeminiFile(file, options), options?.detail),
};
