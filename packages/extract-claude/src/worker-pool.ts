import { Worker } from 'node:worker_threads';
import { ClaudeExtractError } from './claude-extract-error.js';
import { type ClaudeSessionFile } from './discover-claude-sessions.js';
import { type FileSessions } from './read-claude-session.js';
import { type WorkerReply, type WorkerRequest } from './worker-protocol.js';

/**
 * Starts a worker on the built JS next to this file, or, when running from the TypeScript sources
 * (tests, bench), on the source through tsx's loader registered inside the worker thread.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./extract-worker.js', import.meta.url));
  const entry = new URL('./extract-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: ['--conditions=@forge/source'] });
}

/**
 * Reads files in `count` worker threads, one file at a time per worker, largest first, and gives
 * the results back in input order. Cross-file linking stays in the calling thread.
 */
export async function readFilesInWorkers(files: readonly ClaudeSessionFile[], count: number, options: { maxLineBytes?: number }): Promise<(FileSessions | undefined)[]> {
  const results: (FileSessions | undefined)[] = new Array<FileSessions | undefined>(files.length);
  // Largest first keeps both workers busy until the end.
  const queue = files.map((file, index) => ({ file, index })).sort((left, right) => right.file.bytes - left.file.bytes);
  const workerCount = Math.min(count, Math.max(1, queue.length));
  const runners = Array.from({ length: workerCount }, () => runWorker(startWorker(), queue, results, options));
  await Promise.all(runners);
  return results;
}

function runWorker(
  worker: Worker,
  queue: { file: ClaudeSessionFile; index: number }[],
  results: (FileSessions | undefined)[],
  options: { maxLineBytes?: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    let current: { file: ClaudeSessionFile; index: number } | undefined;
    const next = (): void => {
      current = queue.shift();
      if (current == null) {
        void worker.terminate().then(() => resolve());
        return;
      }
      const request: WorkerRequest = { path: current.file.path, ...(current.file.metaPath == null ? {} : { metaPath: current.file.metaPath }), ...(options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes }) };
      worker.postMessage(request);
    };
    worker.on('message', (reply: WorkerReply) => {
      if (current != null) {
        results[current.index] = reply.ok
          ? reply.result
          : { sessions: [], summaries: [], fileWarnings: [{ file: current.file.path, kind: 'unreadable-file', message: `cannot read file: ${reply.message}` }] };
      }
      next();
    });
    worker.on('error', (error) => {
      reject(new ClaudeExtractError({ message: `worker thread failed: ${error.message}`, code: 'claude-worker-failed', ...(current == null ? {} : { location: { file: current.file.path } }), cause: error }));
    });
    next();
  });
}
