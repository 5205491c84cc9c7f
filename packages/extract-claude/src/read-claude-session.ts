import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { foldSessions } from '@forge/reader-kit';
import { type Session, type SessionWarning } from '@forge/schema';
import { ClaudeExtractError } from './claude-extract-error.js';
import { agentIdFromPath, type BuildSessionsOptions, type SubagentMeta } from './plan-sessions.js';
import { streamClaudeSession, type ClaudeFileReadOptions } from './stream-claude-session.js';

/** Options of `readClaudeSession`. */
export interface ReadClaudeSessionOptions {
  /** Lines longer than this are skipped with a `line-too-long` warning. Default: V8's string limit. */
  maxLineBytes?: number;
  /** `active` (default): the thread the harness would resume. `all`: also every branch a rewind abandoned, each marked not active. */
  branches?: 'active' | 'all';
  /** Receives the warnings of a file that yields no session (empty, or no conversation), which no Session can carry. */
  onWarning?: (warning: SessionWarning) => void;
}

/**
 * Reads one Claude Code transcript file (any version) into Sessions: the main thread, plus each
 * inline (1.0.x) sidechain as its own subagent Session linked to the main one. An
 * `agent-<id>.jsonl` file gives the subagent's Session, linked through its `.meta.json` when one
 * is beside it. A fold over {@link streamClaudeSession}; bad lines become warnings; the file is only read.
 *
 * @throws ClaudeExtractError when the path is missing or not a file.
 */
export async function readClaudeSession(path: string, options: ReadClaudeSessionOptions = {}): Promise<Session[]> {
  const folded = await foldSessions(
    streamClaudeSession(path, { ...(options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes }), ...(options.branches == null ? {} : { branches: options.branches }) }),
  );
  for (const warning of folded.fileWarnings) options.onWarning?.(warning);
  return folded.sessions;
}

/** Size and mtime of a transcript; throws `claude-file-unreadable` when it is missing or not a file. */
export async function transcriptFacts(path: string, known?: { size: number; mtimeMs: number }): Promise<{ fileTime: string; fileBytes: number }> {
  try {
    const info = known == null ? await stat(path) : { isFile: () => true, mtime: new Date(known.mtimeMs), size: known.size };
    if (!info.isFile()) throw new Error('not a regular file');
    return { fileTime: info.mtime.toISOString(), fileBytes: info.size };
  } catch (error) {
    throw new ClaudeExtractError({
      message: `cannot read Claude Code transcript: ${error instanceof Error ? error.message : String(error)}`,
      code: 'claude-file-unreadable',
      location: { file: path },
      hint: 'pass the path of a .jsonl file under <config dir>/projects/<encoded-cwd>/',
      cause: error,
    });
  }
}

/** The session planner's options for one file: its agent id and `.meta.json` when it is a subagent's. */
export function buildOptionsFor(path: string, fileTime: string, options: ClaudeFileReadOptions): BuildSessionsOptions {
  const agentId = agentIdFromPath(path);
  const metaPath = options.metaPath === undefined ? path.replace(/\.jsonl$/u, '.meta.json') : options.metaPath;
  const meta = agentId == null || metaPath == null ? undefined : readSubagentMeta(metaPath);
  return {
    fileTime,
    ...(agentId == null ? {} : { agentId }),
    ...(meta == null ? {} : { meta }),
    ...(options.titlesFromSummaries == null ? {} : { titlesFromSummaries: options.titlesFromSummaries }),
  };
}

/** Reads `agent-<id>.meta.json`; undefined when absent or unreadable (it is optional, §1.3). */
function readSubagentMeta(path: string): SubagentMeta | undefined {
  let value: unknown;
  try {
    // A few hundred bytes: a synchronous read costs less than the thread-pool round trips.
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value == null) return undefined;
  const record = value as Record<string, unknown>;
  const meta: SubagentMeta = {};
  if (typeof record.agentType === 'string') meta.agentType = record.agentType;
  if (typeof record.description === 'string') meta.description = record.description;
  if (typeof record.toolUseId === 'string') meta.toolUseId = record.toolUseId;
  if (typeof record.parentAgentId === 'string') meta.parentAgentId = record.parentAgentId;
  return meta;
}
