import { Worker } from 'node:worker_threads';
import { ClaudeExtractError } from './claude-extract-error.js';
import { type ClaudeSessionFile } from './discover-claude-sessions.js';
import { type FileSessions, type ReadClaudeFileSessionsOptions } from './read-claude-session.js';
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

/** Reads batches of files on several threads; `close()` ends the worker threads. */
export interface ReadPool {
  read(files: readonly ClaudeSessionFile[]): Promise<FileSessions[]>;
  close(): Promise<void>;
}

interface QueueItem {
  file: ClaudeSessionFile;
  index: number;
}

/**
 * A pool of `count` reading threads: this one plus `count - 1` worker threads, one file at a time
 * each, largest first. The calling thread takes part so that fewer sessions cross a thread
 * boundary (a structured clone costs about as much as a parse) and a lone big file costs nothing
 * extra. Cross-file linking stays in the calling thread.
 */
export function createReadPool(
  count: number,
  optionsFor: (file: ClaudeSessionFile) => ReadClaudeFileSessionsOptions,
  readHere: (file: ClaudeSessionFile) => Promise<FileSessions>,
): ReadPool {
  const workers: Worker[] = [];
  return {
    async read(files) {
      const results = new Array<FileSessions>(files.length);
      const queue: QueueItem[] = files.map((file, index) => ({ file, index })).sort((left, right) => right.file.bytes - left.file.bytes);
      const wanted = Math.min(count - 1, Math.max(0, queue.length - 1));
      while (workers.length < wanted) workers.push(startWorker());
      const local = async (): Promise<void> => {
        for (let item = queue.shift(); item != null; item = queue.shift()) results[item.index] = await readHere(item.file);
      };
      await Promise.all([local(), ...workers.slice(0, wanted).map((worker) => drain(worker, queue, results, optionsFor))]);
      return results;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
      workers.length = 0;
    },
  };
}

/** Feeds one worker from the shared queue until it is empty. */
async function drain(worker: Worker, queue: QueueItem[], results: FileSessions[], optionsFor: (file: ClaudeSessionFile) => ReadClaudeFileSessionsOptions): Promise<void> {
  for (let item = queue.shift(); item != null; item = queue.shift()) results[item.index] = await ask(worker, item.file, optionsFor(item.file));
}

function ask(worker: Worker, file: ClaudeSessionFile, options: ReadClaudeFileSessionsOptions): Promise<FileSessions> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      worker.off('error', onError);
      resolve(
        reply.ok
          ? reply.result
          : { sessions: [], summaries: [], fileWarnings: [{ file: file.path, kind: 'unreadable-file', message: `cannot read file: ${reply.message}` }] },
      );
    };
    const onError = (error: Error): void => {
      worker.off('message', onMessage);
      reject(new ClaudeExtractError({ message: `worker thread failed: ${error.message}`, code: 'claude-worker-failed', location: { file: file.path }, cause: error }));
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    const request: WorkerRequest = { path: file.path, options };
    worker.postMessage(request);
  });
}
