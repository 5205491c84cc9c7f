import { type Session, type SessionWarning } from '@forge/schema';
import { type BranchSelection } from './build-session.js';
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
  sessions: Session[];
  warnings: SessionWarning[];
  error?: { message: string; code: string };
}
