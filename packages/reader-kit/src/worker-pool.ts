import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Tinypool } from 'tinypool';

/**
 * Where a worker starts for `moduleUrl`: the module itself, or, for a TypeScript module (tests,
 * tsx), a tiny module that registers tsx inside the worker first (Node 20 does not pass `--import`
 * loader hooks on to a worker), with workspace packages resolved to their sources as here.
 */
function workerEntry(moduleUrl: string): { filename: string; execArgv: string[] } {
  // A worker inherits this process's node flags; `--input-type` (a parent run with `node -e`) would stop it loading its file.
  const execArgv = workerFlags(process.execArgv.filter((flag) => !flag.startsWith('--input-type')));
  if (!moduleUrl.endsWith('.ts')) return { filename: moduleUrl, execArgv };
  const require = createRequire(import.meta.url);
  const tsxManifestPath = require.resolve('tsx/package.json');
  const tsxManifest = JSON.parse(readFileSync(tsxManifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsxApi = pathToFileURL(join(dirname(tsxManifestPath), tsxManifest.exports['./esm/api']?.import.default ?? '')).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); const worker = await import(${JSON.stringify(moduleUrl)}); export default worker.default;`;
  return { filename: `data:text/javascript,${encodeURIComponent(bootstrap)}`, execArgv: [...execArgv, '--conditions=@forge/source'] };
}

/**
 * The node flags a worker thread accepts. V8 and process-wide flags (`node --max-old-space-size=4096
 * forge …`, `--title`) make `new Worker` throw; the V8 ones already apply to every thread of the
 * process, so they are left out rather than stopping the run. Each flag is tried once (a worker
 * rejects bad flags before it starts; a good set starts one thread, ended at once).
 */
function workerFlags(flags: readonly string[]): string[] {
  if (flags.length === 0 || acceptedByWorker(flags)) return [...flags];
  return flags.filter((flag) => acceptedByWorker([flag]));
}

function acceptedByWorker(flags: readonly string[]): boolean {
  try {
    void new Worker('', { eval: true, execArgv: [...flags] }).terminate();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_WORKER_INVALID_EXEC_ARGV') return false;
    throw error;
  }
}

/**
 * Worker threads (tinypool) that run the default export of one module on each task: the one pool
 * engine of forge (the readers' `ReaderPool`, `forge run`'s work units). The module may be
 * TypeScript when this runs from sources. A task's failure rejects its `run`; the thread lives on.
 */
export class WorkerPool<Task, Result> {
  readonly #pool: Tinypool;

  /**
   * `moduleUrl`: the file URL of a module whose default export takes a task and returns (a promise
   * of) its result. `tasksPerThread` (default 1): tasks handed to a thread before it has finished
   * the one it runs, so it finds its next task waiting even when the thread that hands them out is
   * busy with work of its own (the thread runs them interleaved at their awaits).
   */
  constructor(
    moduleUrl: string,
    readonly threads: number,
    { tasksPerThread = 1 }: { tasksPerThread?: number } = {},
  ) {
    const { filename, execArgv } = workerEntry(moduleUrl);
    this.#pool = new Tinypool({ filename, minThreads: threads, maxThreads: threads, execArgv, concurrentTasksPerWorker: tasksPerThread });
  }

  /** Runs one task in a free thread (queued while every thread is busy). */
  run(task: Task): Promise<Result> {
    return this.#pool.run(task) as Promise<Result>;
  }

  /** Ends the threads. */
  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
