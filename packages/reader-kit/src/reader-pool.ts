import { type FoldedSessions } from './fold-sessions.js';
import { ReaderPoolError } from './reader-pool-error.js';
import { type WorkerReadTask } from './reader-worker.js';
import { type ReadFileOptions, type SessionSourceReader, type SourceFile } from './session-source.js';
import { WorkerPool } from './worker-pool.js';

/**
 * Worker threads that read files for any reader that says where it can be imported from
 * (`SessionSourceReader.location`), on the one {@link WorkerPool}. Each task is one file: the worker reads and
 * folds it and hands back the result. `close()` ends the threads.
 */
export class ReaderPool {
  readonly #pool: WorkerPool<WorkerReadTask, string | FoldedSessions>;

  constructor(readonly threads: number) {
    // The built module's sibling, or the TypeScript source's when running from sources.
    this.#pool = new WorkerPool(new URL(import.meta.url.endsWith('.ts') ? './reader-worker.ts' : './reader-worker.js', import.meta.url).href, threads);
  }

  /** One file read and folded in a worker. */
  async read(reader: SessionSourceReader, file: SourceFile, options: ReadFileOptions): Promise<FoldedSessions> {
    if (reader.location == null) throw new ReaderPoolError({ message: `reader ${reader.name} cannot run in a worker (it has no location)`, location: { file: file.path } });
    // A function cannot cross to a worker: the bytes a worker reads stay there.
    const { onWholeRead: _stays, ...workerOptions } = options;
    const task: WorkerReadTask = { reader: reader.location, file, options: workerOptions };
    let result: string | FoldedSessions;
    try {
      result = await this.#pool.run(task);
    } catch (error) {
      throw new ReaderPoolError({ message: `a reader worker failed: ${error instanceof Error ? error.message : String(error)}`, location: { file: file.path }, cause: error });
    }
    return typeof result === 'string' ? (JSON.parse(result) as FoldedSessions) : result;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
