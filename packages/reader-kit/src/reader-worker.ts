import { foldSessions, type FoldedSessions } from './fold-sessions.js';
import { type ReadFileOptions, type ReaderLocation, type SessionSourceReader, type SourceFile } from './session-source.js';

/** One file for a pool worker to read. */
export interface WorkerReadTask {
  reader: ReaderLocation;
  file: SourceFile;
  options: ReadFileOptions;
}

const readers = new Map<string, Promise<SessionSourceReader>>();

async function load(location: ReaderLocation): Promise<SessionSourceReader> {
  const module = (await import(location.url)) as Record<string, unknown>;
  const reader = module[location.exportName];
  if (typeof reader !== 'object' || reader == null || typeof (reader as SessionSourceReader).readFile !== 'function') {
    throw new Error(`${location.url} exports no reader named ${location.exportName}`);
  }
  return reader as SessionSourceReader;
}

/**
 * Runs in a pool worker (started by `ReaderPool`): reads one file with its reader and hands the
 * folded result back as one JSON string. Cloning a flat string is a copy of its bytes, and
 * `JSON.parse` rebuilds the objects faster than a structured clone of the object graph would.
 */
export default async function readFileInWorker(task: WorkerReadTask): Promise<string | FoldedSessions> {
  const key = `${task.reader.url}#${task.reader.exportName}`;
  let reader = readers.get(key);
  if (reader == null) {
    reader = load(task.reader);
    readers.set(key, reader);
  }
  const folded = await foldSessions((await reader).readFile(task.file, task.options));
  try {
    return JSON.stringify(folded);
  } catch (error) {
    // Longer than V8's longest string: handed over as objects (a structured clone) instead.
    if (error instanceof RangeError) return folded;
    throw error;
  }
}
