import { addUsage, emptyUsage, type Message, type Session, type SessionWarning } from '@forge/schema';
import { ClaudeExtractError } from './claude-extract-error.js';
import { discoverClaudeSessions, type ClaudeSessionFile, type DiscoverClaudeSessionsOptions } from './discover-claude-sessions.js';
import { readClaudeFileSessions, type FileSessions, type ReadClaudeFileSessionsOptions } from './read-claude-session.js';
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
  const summaries = new Map<string, string>();
  const main: Session[] = [];
  const subagents: Session[] = [];
  for (const { result } of results) {
    for (const [leaf, summary] of result.summaries) if (!summaries.has(leaf)) summaries.set(leaf, summary);
    for (const warning of result.fileWarnings) options.onWarning?.(warning);
    for (const session of result.sessions) (session.isSubagent ? subagents : main).push(session);
  }
  const chronological = (left: Session, right: Session): number =>
    left.startedAt.localeCompare(right.startedAt) || left.endedAt.localeCompare(right.endedAt) || (left.files[0] ?? '').localeCompare(right.files[0] ?? '');
  main.sort(chronological);
  subagents.sort(chronological);

  const owned = new Set<string>();
  const kept: Session[] = [];
  for (const session of [...main, ...subagents]) {
    if (removeCopies(session, owned, options)) kept.push(session);
  }

  const spawnedBy = agentSpawns(kept);
  for (const session of kept) {
    if (session.title == null && !session.isSubagent) {
      const title = titleFromSummaries(session.messages, summaries);
      if (title != null) session.title = title;
    }
    const agentId = session.agent?.id;
    if (!session.isSubagent || agentId == null || session.parent?.toolCallId != null) continue;
    const spawn = spawnedBy.get(agentId);
    if (spawn == null) continue;
    session.parent = { sessionId: spawn.sessionId, toolCallId: spawn.toolCallId };
  }
  yield* kept;
}

/**
 * Drops messages whose source line an earlier session already owns (resume and fork copies keep the
 * line uuids, §7.4/§7.5). False when nothing of the session is left.
 */
function removeCopies(session: Session, owned: Set<string>, options: ExtractClaudeSessionsOptions): boolean {
  const before = session.messages.length;
  const messages = session.messages.filter((message) => {
    const first = message.sourceIds?.[0];
    return first == null || !owned.has(first);
  });
  for (const message of messages) for (const id of message.sourceIds ?? []) owned.add(id);
  const removed = before - messages.length;
  if (removed === 0) return true;
  const warning: SessionWarning = {
    file: session.files[0] ?? '',
    kind: 'duplicate',
    message: `${removed} message(s) copied from an earlier session (resume or fork) left out`,
    count: removed,
  };
  if (!messages.some((message) => message.role === 'user' || message.role === 'assistant')) {
    options.onWarning?.({ ...warning, message: `session ${session.id} holds only copies of an earlier session; skipped` });
    return false;
  }
  session.messages = messages;
  session.warnings.push(warning);
  let usage = emptyUsage();
  for (const message of messages) if (message.usage != null) usage = addUsage(usage, message.usage);
  session.usage = usage;
  const firstTime = messages.find((message) => message.timestamp != null)?.timestamp;
  if (firstTime != null) session.startedAt = firstTime;
  return true;
}

const agentTrailerPattern = /agentId: ([A-Za-z0-9_-]+)/u;

/** agentId → the session and tool call that spawned it: `toolUseResult.agentId`, else the `agentId: …` trailer (§7.3). */
function agentSpawns(sessions: readonly Session[]): Map<string, { sessionId: string; toolCallId: string }> {
  const spawns = new Map<string, { sessionId: string; toolCallId: string }>();
  for (const session of sessions) {
    for (const message of session.messages) {
      const result = message.toolResult;
      if (message.role !== 'tool' || result == null) continue;
      const structured = message.metadata?.toolUseResult as { agentId?: unknown } | undefined;
      const agentId = typeof structured?.agentId === 'string' ? structured.agentId : result.toolName === 'Task' || result.toolName === 'Agent' ? agentTrailerPattern.exec(result.text)?.[1] : undefined;
      if (agentId != null && !spawns.has(agentId)) spawns.set(agentId, { sessionId: session.id, toolCallId: result.toolCallId });
    }
  }
  return spawns;
}

function titleFromSummaries(messages: readonly Message[], summaries: ReadonlyMap<string, string>): string | undefined {
  if (summaries.size === 0) return undefined;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    for (const id of messages[index]?.sourceIds ?? []) {
      const summary = summaries.get(id);
      if (summary != null) return summary;
    }
  }
  return undefined;
}
