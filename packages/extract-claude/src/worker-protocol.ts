import { type FileSessions, type ReadClaudeFileSessionsOptions } from './read-claude-session.js';

/** One file for a worker to read. */
export interface WorkerRequest {
  path: string;
  options: ReadClaudeFileSessionsOptions;
}

/** A worker's answer: the file's sessions, or why it could not be read. */
export type WorkerReply = { ok: true; result: FileSessions } | { ok: false; message: string };
