import { parentPort } from 'node:worker_threads';
import { ForgeError, type Session, type SessionWarning } from '@forge/schema';
import { readPiSession } from './read-pi-session.js';
import { type PoolReply, type PoolTask } from './worker-protocol.js';

// Runs in a worker thread: reads the files it is sent and posts the Sessions back as one JSON
// string (see PoolReply: far cheaper for the main thread than a structured clone of the objects).
parentPort?.on('message', (task: PoolTask) => {
  const warnings: SessionWarning[] = [];
  readPiSession(task.path, { branches: task.branches, flavor: task.flavor, onWarning: (warning) => warnings.push(warning) }).then(
    (sessions: Session[]) => parentPort?.postMessage({ taskId: task.taskId, sessionsJson: JSON.stringify(sessions), warnings } satisfies PoolReply),
    (error: unknown) =>
      parentPort?.postMessage({
        taskId: task.taskId,
        sessionsJson: '',
        warnings,
        error: { message: error instanceof Error ? error.message : String(error), code: ForgeError.isInstance(error) ? error.code : 'unexpected' },
      } satisfies PoolReply),
  );
});
