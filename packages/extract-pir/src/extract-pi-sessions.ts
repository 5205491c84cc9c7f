import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ForgeError, type Session, type SessionWarning } from '@forge/schema';
import { type BranchSelection } from './build-session.js';
import { discoverPiSessions, type DiscoverPiSessionsOptions, type PiSessionHandle } from './discover-pi-sessions.js';
import { PiSessionError } from './pi-session-error.js';
import { readPiSession } from './read-pi-session.js';
import { decodeSessions, type PoolReply, type PoolTask } from './worker-protocol.js';

/** Options of {@link extractPiSessions}: discovery options plus how to read each file. */
export interface ExtractPiSessionsOptions extends DiscoverPiSessionsOptions {
  /** `active` (default) or `all` branches of every file. */
  branches?: BranchSelection;
  /**
   * Worker threads that read files in parallel (node:worker_threads). 0 or 1 (default) reads in
   * this thread. With workers, Sessions arrive in completion order, not discovery order.
   */
  workers?: number;
}

function fileFailure(handle: PiSessionHandle, error: { message: string; code: string }): SessionWarning {
  return {
    file: handle.path,
    kind: error.code === 'not-a-pi-session' ? 'not-a-session' : 'unreadable-file',
    message: error.message,
  };
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
        warn(fileFailure(handle, { message: error.message, code: error.code }));
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
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pool-worker.js', import.meta.url));
  const require = createRequire(import.meta.url);
  const tsxManifestPath = require.resolve('tsx/package.json');
  const tsxManifest = JSON.parse(readFileSync(tsxManifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsxApi = pathToFileURL(join(dirname(tsxManifestPath), tsxManifest.exports['./esm/api']?.import.default ?? '')).href;
  const target = new URL('./pool-worker.ts', import.meta.url).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(target)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`));
}

async function* extractWithPool(
  handles: AsyncGenerator<PiSessionHandle>,
  size: number,
  branches: BranchSelection,
  warn: (warning: SessionWarning) => void,
): AsyncGenerator<Session> {
  const pool = Array.from({ length: size }, startWorker);
  // Two files in flight per worker, so a worker never waits for the main thread between files.
  const inFlightPerWorker = 2;
  const pending = new Map<number, PiSessionHandle>();
  const load = new Map<Worker, number>();
  const replies: Array<{ reply: PoolReply; worker: Worker }> = [];
  let wake: (() => void) | undefined;
  let failure: PiSessionError | undefined;
  let nextTaskId = 0;
  let discoveryDone = false;

  for (const worker of pool) {
    load.set(worker, 0);
    worker.on('message', (reply: PoolReply) => {
      replies.push({ reply, worker });
      wake?.();
    });
    worker.on('error', (error) => {
      failure = new PiSessionError({ message: `a reader worker failed: ${error.message}`, code: 'worker-failed', cause: error });
      wake?.();
    });
  }

  const dispatch = async (): Promise<void> => {
    for (const worker of pool) {
      while (!discoveryDone && (load.get(worker) ?? 0) < inFlightPerWorker) {
        const next = await handles.next();
        if (next.done === true) {
          discoveryDone = true;
          break;
        }
        const task: PoolTask = { taskId: nextTaskId++, path: next.value.path, flavor: next.value.flavor, branches };
        pending.set(task.taskId, next.value);
        load.set(worker, (load.get(worker) ?? 0) + 1);
        worker.postMessage(task);
      }
    }
  };

  try {
    await dispatch();
    while (pending.size > 0) {
      if (replies.length === 0 && failure == null) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (failure != null) throw failure;
      const batch = replies.splice(0);
      for (const { reply, worker } of batch) {
        load.set(worker, (load.get(worker) ?? 1) - 1);
        const handle = pending.get(reply.taskId);
        pending.delete(reply.taskId);
        for (const warning of reply.warnings) warn(warning);
        if (reply.error != null && handle != null) warn(fileFailure(handle, reply.error));
      }
      await dispatch();
      for (const { reply } of batch) yield* decodeSessions(reply.sessionsJson);
    }
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
