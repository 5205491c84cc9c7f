import { type Session, type SessionWarning } from '@forge/schema';
import { claudeLinkFacts, claudeSourceFile } from './claude-code-source.js';
import { ClaudeExtractError } from './claude-extract-error.js';
import { discoverClaudeSessions, type ClaudeSessionFile, type DiscoverClaudeSessionsOptions } from './discover-claude-sessions.js';
import { readClaudeFileSessions, type FileSessions, type ReadClaudeFileSessionsOptions } from './read-claude-session.js';
import { linkClaudeProject } from './link-claude-project.js';
import { createReadPool } from './worker-pool.js';

/** Options of `extractClaudeSessions`: where to look, and how to report what could not be read. */
export interface ExtractClaudeSessionsOptions extends DiscoverClaudeSessionsOptions {
  /** Lines longer than this are skipped with a `line-too-long` warning. */
  maxLineBytes?: number;
  /** Warnings no yielded Session carries: empty files, files without conversation, pure resume copies, unreadable files. */
  onWarning?: (warning: SessionWarning) => void;
  /** Threads that read files: this one plus `workers - 1` node:worker_threads. Default 1: this thread only. */
  workers?: number;
}

/**
 * Every Claude Code session under the config roots, project by project, with the cross-file work
 * done: resume/fork copies removed by line uuid (the earliest session keeps them, §7.4), titles from
 * `summary` lines of any file in the project, and subagents (inline, `agent-*.jsonl`,
 * `<session>/subagents/**`) linked to their parent session and spawning tool call.
 */
export async function* extractClaudeSessions(options: ExtractClaudeSessionsOptions = {}): AsyncGenerator<Session> {
  const threads = Math.max(1, Math.trunc(options.workers ?? 1));
  const pool = threads === 1 ? undefined : createReadPool(threads, (file) => fileOptions(file, options), async (file) => (await readFiles([file], options))[0]!.result);
  const read = async (files: readonly ClaudeSessionFile[]): Promise<FileResult[]> => {
    if (pool == null) return readFiles(files, options);
    const results = await pool.read(files);
    return files.map((file, index) => ({ file, result: results[index]! }));
  };
  try {
    // With workers, projects are read in batches so the threads stay busy across small projects
    // while memory stays bounded by a batch; sessions are linked and yielded project by project.
    // One thread reads project by project: sessions leave sooner, so fewer objects survive to the
    // old generation.
    const targetBytes = pool == null ? 0 : batchTargetBytes;
    let batch: ClaudeSessionFile[][] = [];
    let batchBytes = 0;
    let current: ClaudeSessionFile[] = [];
    const flush = async function* (): AsyncGenerator<Session> {
      if (batch.length === 0) return;
      const results = await read(batch.flat());
      let offset = 0;
      for (const project of batch) {
        yield* linkProject(results.slice(offset, offset + project.length), options);
        offset += project.length;
      }
      batch = [];
      batchBytes = 0;
    };
    for await (const file of discoverClaudeSessions(options)) {
      if (current.length > 0 && file.projectDir !== current[0]!.projectDir) {
        batch.push(current);
        batchBytes += current.reduce((sum, entry) => sum + entry.bytes, 0);
        current = [];
        if (batchBytes >= targetBytes) yield* flush();
      }
      current.push(file);
    }
    if (current.length > 0) batch.push(current);
    yield* flush();
  } finally {
    await pool?.close();
  }
}

// About this much transcript is read before sessions are linked and handed out.
const batchTargetBytes = 64 * 1024 * 1024;

interface FileResult {
  file: ClaudeSessionFile;
  result: FileSessions;
}

function failed(file: ClaudeSessionFile, error: unknown): FileSessions {
  const reason = error instanceof Error ? error.message : String(error);
  return { sessions: [], summaries: [], fileWarnings: [{ file: file.path, kind: 'unreadable-file', message: `cannot read file: ${reason}` }] };
}

// Files read at once in this thread: while one waits for the disk, another is parsed.
const filesInFlight = 4;

async function readFiles(files: readonly ClaudeSessionFile[], options: ExtractClaudeSessionsOptions): Promise<FileResult[]> {
  const readOne = async (file: ClaudeSessionFile): Promise<FileResult> => {
    try {
      return { file, result: await readClaudeFileSessions(file.path, fileOptions(file, options)) };
    } catch (error) {
      if (!ClaudeExtractError.isInstance(error)) throw error;
      return { file, result: failed(file, error) };
    }
  };
  const results: FileResult[] = new Array<FileResult>(files.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const index = next;
      next += 1;
      results[index] = await readOne(files[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(filesInFlight, files.length) }, lane));
  return results;
}

/** The per-file options for one discovered file. */
function fileOptions(file: ClaudeSessionFile, options: { maxLineBytes?: number }): ReadClaudeFileSessionsOptions {
  return {
    // Summary titles are matched project-wide after dedup (a summary's leaf is often in another file).
    titlesFromSummaries: false,
    // Discovery already knows whether a meta.json exists, and the file's size and time.
    metaPath: file.metaPath ?? null,
    known: { bytes: file.bytes, modifiedAt: file.modifiedAt.toISOString() },
    ...(options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes }),
  };
}

function* linkProject(results: readonly FileResult[], options: ExtractClaudeSessionsOptions): Generator<Session> {
  for (const { result } of results) for (const warning of result.fileWarnings) options.onWarning?.(warning);
  const files = results.map(({ file, result }) => ({ file: claudeSourceFile(file), sessions: result.sessions, linkFacts: claudeLinkFacts(result.summaries) }));
  yield* linkClaudeProject(files, (warning) => options.onWarning?.(warning));
}
