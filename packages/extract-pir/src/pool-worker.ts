import { parentPort } from 'node:worker_threads';
import { ForgeError, type Session, type SessionWarning } from '@forge/schema';
import { readPiSession } from './read-pi-session.js';
import { encodeSessions, type PoolReply, type PoolTask } from './worker-protocol.js';

// Runs in a worker thread: reads the files it is sent and posts the Sessions back as JSON bytes,
// transferred rather than cloned.
parentPort?.on('message', (task: PoolTask) => {
  const warnings: SessionWarning[] = [];
  readPiSession(task.path, { branches: task.branches, flavor: task.flavor, onWarning: (warning) => warnings.push(warning) }).then(
    (sessions: Session[]) => {
      const sessionsJson = encodeSessions(sessions);
      parentPort?.postMessage({ taskId: task.taskId, sessionsJson, warnings } satisfies PoolReply, [sessionsJson.buffer]);
    },
    (error: unknown) =>
      parentPort?.postMessage({
        taskId: task.taskId,
        sessionsJson: new Uint8Array(0),
        warnings,
        error: { message: error instanceof Error ? error.message : String(error), code: ForgeError.isInstance(error) ? error.code : 'unexpected' },
      } satisfies PoolReply),
  );
});
