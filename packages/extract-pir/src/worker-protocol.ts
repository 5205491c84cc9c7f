import { type Session, type SessionWarning } from '@forge/schema';
import { type BranchSelection } from './build-session.js';
import { ABSENT_REASONING, NO_TOOL_CALLS } from './map-message.js';
import { type PiFlavor } from './parse-session-file.js';

/** A file for a pool worker to read. */
export interface PoolTask {
  taskId: number;
  path: string;
  flavor: PiFlavor;
  branches: BranchSelection;
}

/** A pool worker's answer for one task. */
export interface PoolReply {
  taskId: number;
  /**
   * The file's Sessions as one JSON string: cloning a flat string is a copy of its bytes, and
   * `JSON.parse` rebuilds the objects faster than the structured clone of the object graph would.
   */
  sessionsJson: string;
  warnings: SessionWarning[];
  error?: { message: string; code: string };
}

/**
 * Rebuilds the Sessions a worker sent as JSON, with the same shared frozen `reasoning` and
 * `toolCalls` values the in-thread reader gives messages that have none.
 */
export function decodeSessions(json: string): Session[] {
  if (json === '') return [];
  const sessions = JSON.parse(json) as Session[];
  for (const session of sessions) {
    for (const message of session.messages) {
      if (message.reasoning.state === 'absent') message.reasoning = ABSENT_REASONING;
      if (message.toolCalls.length === 0) message.toolCalls = NO_TOOL_CALLS;
    }
  }
  return sessions;
}
