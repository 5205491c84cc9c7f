import { parentPort } from 'node:worker_threads';
import { readClaudeFileSessions } from './read-claude-session.js';
import { type WorkerReply, type WorkerRequest } from './worker-protocol.js';

// Worker thread entry: reads one file per request. Started by worker-pool.ts only.
parentPort?.on('message', (request: WorkerRequest) => {
  readClaudeFileSessions(request.path, request.options).then(
    (result) => parentPort?.postMessage({ ok: true, result } satisfies WorkerReply),
    (error: unknown) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply),
  );
});
