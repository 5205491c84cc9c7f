import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Tinypool } from 'tinypool';
import { type FoldedSessions } from './fold-sessions.js';
import { ReaderPoolError } from './reader-pool-error.js';
import { type WorkerReadTask } from './reader-worker.js';
import { type ReadFileOptions, type SessionSourceReader, type SourceFile } from './session-source.js';

/**
 * Where a pool worker starts: the built `reader-worker.js` beside this module, or, when running
 * from the TypeScript sources (tests, tsx), `reader-worker.ts` behind a tiny module that registers
 * tsx inside the worker first (Node 20 does not pass `--import` loader hooks on to a worker).
 */
function workerEntry(): { filename: string; execArgv: string[] } {
  // A worker inherits this process's node flags; `--input-type` (a parent run with `node -e`) would stop it loading its file.
  const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
  if (!import.meta.url.endsWith('.ts')) return { filename: new URL('./reader-worker.js', import.meta.url).href, execArgv };
  const require = createRequire(import.meta.url);
  const tsxManifestPath = require.resolve('tsx/package.json');
  const tsxManifest = JSON.parse(readFileSync(tsxManifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsxApi = pathToFileURL(join(dirname(tsxManifestPath), tsxManifest.exports['./esm/api']?.import.default ?? '')).href;
  const target = new URL('./reader-worker.ts', import.meta.url).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); const worker = await import(${JSON.stringify(target)}); export default worker.default;`;
  // Workspace packages resolve to their sources there too, as they do here.
  return { filename: `data:text/javascript,${encodeURIComponent(bootstrap)}`, execArgv: [...execArgv, '--conditions=@forge/source'] };
}

/**
 * Worker threads that read files for any reader that says where it can be imported from
 * (`SessionSourceReader.location`), built on tinypool. Each task is one file: the worker reads and
 * folds it and hands back the result. `close()` ends the threads.
 */
export class ReaderPool {
  readonly #pool: Tinypool;

  constructor(readonly threads: number) {
    const { filename, execArgv } = workerEntry();
    this.#pool = new Tinypool({ filename, minThreads: threads, maxThreads: threads, execArgv });
  }

  /** One file read and folded in a worker. */
  async read(reader: SessionSourceReader, file: SourceFile, options: ReadFileOptions): Promise<FoldedSessions> {
    if (reader.location == null) throw new ReaderPoolError({ message: `reader ${reader.name} cannot run in a worker (it has no location)`, location: { file: file.path } });
    const task: WorkerReadTask = { reader: reader.location, file, options };
    let result: string | FoldedSessions;
    try {
      result = (await this.#pool.run(task)) as string | FoldedSessions;
    } catch (error) {
      throw new ReaderPoolError({ message: `a reader worker failed: ${error instanceof Error ? error.message : String(error)}`, location: { file: file.path }, cause: error });
    }
    return typeof result === 'string' ? (JSON.parse(result) as FoldedSessions) : result;
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
