import { type FileSessions } from './read-claude-session.js';

/** One file for a worker to read. */
export interface WorkerRequest {
  path: string;
  metaPath?: string;
  maxLineBytes?: number;
}

/** A worker's answer: the file's sessions, or why it could not be read. */
export type WorkerReply = { ok: true; result: FileSessions } | { ok: false; message: string };
