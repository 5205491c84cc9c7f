import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ForgeError, type Session, type SessionWarning } from '@forge/schema';
import { type BranchSelection } from './build-session.js';
import { discoverPiSessions, type DiscoverPiSessionsOptions, type PiSessionHandle } from './discover-pi-sessions.js';
import { fileFailure } from './pi-family-source.js';
import { PiSessionError } from './pi-session-error.js';
import { readPiSession } from './read-pi-session.js';
import { decodeSessions, type PoolReply, type PoolTask } from './worker-protocol.js';

/** Options of {@link extractPiSessions}: discovery options plus how to read each file. */
export interface ExtractPiSessionsOptions extends DiscoverPiSessionsOptions {
  /** `active` (default) or `all` branches of every file. */
  branches?: BranchSelection;
  /**
   * Threads that read files in parallel, this one included: 0 or 1 (default) reads in this thread;
   * N > 1 starts N - 1 worker threads (node:worker_threads) and this thread reads files too, between
   * handing over the workers' Sessions. With more than one, Sessions arrive in completion order.
   */
  workers?: number;
}

/**
 * Every Session of every discovered pi-family file (see {@link discoverPiSessions} for the roots).
 * A file that cannot be read is reported through `onWarning` and skipped; the rest go on.
 */
export async function* extractPiSessions(options: ExtractPiSessionsOptions = {}): AsyncGenerator<Session> {
  const branches = options.branches ?? 'active';
  const workers = options.workers ?? 0;
  if (!Number.isInteger(workers) || workers < 0) {
    throw new PiSessionError({ message: `workers must be a whole number >= 0, got ${String(workers)}`, code: 'invalid-option' });
  }
  const warn = options.onWarning ?? (() => undefined);
  const handles = discoverPiSessions(options);
  if (workers <= 1) {
    for await (const handle of handles) {
      try {
        yield* await readPiSession(handle.path, { branches, flavor: handle.flavor, onWarning: warn });
      } catch (error) {
        if (!ForgeError.isInstance(error)) throw error;
        warn(fileFailure(handle.path, { message: error.message, code: error.code }));
      }
    }
    return;
  }
  yield* extractWithPool(handles, workers, branches, warn);
}

/**
 * Starts one pool worker: the built `pool-worker.js` next to this module, or, when running from
 * the TypeScript sources (tests, `tsx`), `pool-worker.ts` behind a tiny bootstrap that registers
 * tsx inside the worker (Node 20 does not pass `--import` loader hooks on to a worker's entry).
 */
function startWorker(): Worker {
  // A worker inherits this process's node flags; `--input-type` (a parent run with `node -e`) would stop it loading its file.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pool-worker.js', import.meta.url), { execArgv });
  const require = createRequire(import.meta.url);
  const tsxManifestPath = require.resolve('tsx/package.json');
  const tsxManifest = JSON.parse(readFileSync(tsxManifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsxApi = pathToFileURL(join(dirname(tsxManifestPath), tsxManifest.exports['./esm/api']?.import.default ?? '')).href;
  const target = new URL('./pool-worker.ts', import.meta.url).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(target)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { execArgv });
}

/** A file read by a worker or by this thread, waiting to be handed over. */
interface FinishedFile {
  taskId: number;
  /** Undefined when this thread read the file. */
  worker: Worker | undefined;
  warnings: SessionWarning[];
  error?: { message: string; code: string };
  sessions: () => Session[];
}

async function* extractWithPool(
  handles: AsyncGenerator<PiSessionHandle>,
  threads: number,
  branches: BranchSelection,
  warn: (warning: SessionWarning) => void,
): AsyncGenerator<Session> {
  // This thread reads files too: rebuilding a worker's Sessions here costs about as much as parsing
  // JSON, so a worker per core would leave this thread as busy as a reader while adding that cost.
  const pool = Array.from({ length: threads - 1 }, startWorker);
  // Two files in flight per worker, so a worker never waits for the main thread between files.
  const inFlightPerWorker = 2;
  const pending = new Map<number, PiSessionHandle>();
  const load = new Map<Worker, number>();
  const finished: FinishedFile[] = [];
  let readingHere = false;
  let wake: (() => void) | undefined;
  let failure: unknown;
  let failed = false;
  let nextTaskId = 0;
  let discoveryDone = false;

  const fail = (error: unknown): void => {
    failed = true;
    failure = error;
    wake?.();
  };
  for (const worker of pool) {
    load.set(worker, 0);
    worker.on('message', (reply: PoolReply) => {
      const { taskId, warnings, error, sessionsJson } = reply;
      finished.push({ taskId, worker, warnings, ...(error == null ? {} : { error }), sessions: () => decodeSessions(sessionsJson) });
      wake?.();
    });
    worker.on('error', (error) => fail(new PiSessionError({ message: `a reader worker failed: ${error.message}`, code: 'worker-failed', cause: error })));
  }

  const nextTask = async (): Promise<{ taskId: number; handle: PiSessionHandle } | undefined> => {
    if (discoveryDone) return undefined;
    const next = await handles.next();
    if (next.done === true) {
      discoveryDone = true;
      return undefined;
    }
    const taskId = nextTaskId++;
    pending.set(taskId, next.value);
    return { taskId, handle: next.value };
  };

  const readHere = (taskId: number, handle: PiSessionHandle): void => {
    readingHere = true;
    const warnings: SessionWarning[] = [];
    readPiSession(handle.path, { branches, flavor: handle.flavor, onWarning: (warning) => warnings.push(warning) }).then(
      (sessions) => {
        readingHere = false;
        finished.push({ taskId, worker: undefined, warnings, sessions: () => sessions });
        wake?.();
      },
      (error: unknown) => {
        readingHere = false;
        if (!ForgeError.isInstance(error)) return fail(error);
        finished.push({ taskId, worker: undefined, warnings, error: { message: error.message, code: error.code }, sessions: () => [] });
        wake?.();
      },
    );
  };

  const dispatch = async (): Promise<void> => {
    for (const worker of pool) {
      while ((load.get(worker) ?? 0) < inFlightPerWorker) {
        const task = await nextTask();
        if (task == null) return;
        load.set(worker, (load.get(worker) ?? 0) + 1);
        worker.postMessage({ taskId: task.taskId, path: task.handle.path, flavor: task.handle.flavor, branches } satisfies PoolTask);
      }
    }
    if (!readingHere) {
      const task = await nextTask();
      if (task != null) readHere(task.taskId, task.handle);
    }
  };

  try {
    await dispatch();
    while (pending.size > 0) {
      if (finished.length === 0 && !failed) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (failed) throw failure;
      const batch = finished.splice(0);
      for (const file of batch) {
        if (file.worker != null) load.set(file.worker, (load.get(file.worker) ?? 1) - 1);
        const handle = pending.get(file.taskId);
        pending.delete(file.taskId);
        for (const warning of file.warnings) warn(warning);
        if (file.error != null && handle != null) warn(fileFailure(handle.path, file.error));
      }
      await dispatch();
      for (const file of batch) yield* file.sessions();
    }
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
