import { readSourceSessions } from '@forge/reader-kit';
import { type Session, type SessionWarning } from '@forge/schema';
import { claudeCodeSource, claudeSourceFiles } from './claude-code-source.js';
import { type DiscoverClaudeSessionsOptions } from './discover-claude-sessions.js';

/** Options of `extractClaudeSessions`: where to look, and how to report what could not be read. */
export interface ExtractClaudeSessionsOptions extends DiscoverClaudeSessionsOptions {
  /** Lines longer than this are skipped with a `line-too-long` warning. */
  maxLineBytes?: number;
  /** `active` (default): each session's resumable thread. `all`: also every branch a rewind abandoned, each marked not active. */
  branches?: 'active' | 'all';
  /** Warnings no yielded Session carries: empty files, files without conversation, pure resume copies, unreadable files. */
  onWarning?: (warning: SessionWarning) => void;
  /** Threads that read files: this one plus `workers - 1` worker threads. Default 1: this thread only. */
  workers?: number;
}

/**
 * Every Claude Code session under the config roots, project by project, with the cross-file work
 * done (`claudeCodeSource.link`): resume/fork copies removed by line uuid (the earliest session
 * keeps them, §7.4), titles from `summary` lines of any file in the project, and subagents (inline,
 * `agent-*.jsonl`, `<session>/subagents/**`) linked to their parent session and spawning tool call.
 * `readSourceSessions` over {@link claudeCodeSource}.
 */
export function extractClaudeSessions(options: ExtractClaudeSessionsOptions = {}): AsyncGenerator<Session> {
  const { maxLineBytes, onWarning, workers, branches, ...discovery } = options;
  return readSourceSessions(
    { ...claudeCodeSource, discover: () => claudeSourceFiles(discovery) },
    {
      ...(maxLineBytes == null ? {} : { maxLineBytes }),
      ...(branches == null ? {} : { branches }),
      ...(onWarning == null ? {} : { onWarning }),
      // At least this thread: 0 and fractions read here, as they always have.
      ...(workers == null ? {} : { workers: Math.max(1, Math.trunc(workers)) }),
    },
  );
}
