import { join } from 'node:path';
import { withDetail, type SessionSourceReader, type SourceFile } from '@forge/reader-kit';
import { isClaudeTranscriptHead } from './claude-transcript-head.js';
import { discoverClaudeSessions, type ClaudeSessionFile, type DiscoverClaudeSessionsOptions } from './discover-claude-sessions.js';
import { linkClaudeProject } from './link-claude-project.js';
import { readClaudeEvents } from './stream-claude-session.js';

/** A discovered transcript in the vocabulary every reader shares; its group is its project folder. */
export function claudeSourceFile(file: ClaudeSessionFile): SourceFile {
  // `metaPath: null`: discovery found no meta.json beside a subagent transcript (nothing to look for).
  return { path: file.path, source: 'claude-code', size: file.size, mtimeMs: file.mtimeMs, group: file.projectDir, hints: { metaPath: file.metaPath ?? null } };
}

/** Discovered transcripts as `SourceFile`s, project by project. */
export async function* claudeSourceFiles(options: DiscoverClaudeSessionsOptions): AsyncGenerator<SourceFile> {
  for await (const file of discoverClaudeSessions(options)) yield claudeSourceFile(file);
}

function metaPathHint(file: SourceFile): string | null | undefined {
  const hint = file.hints?.metaPath;
  return typeof hint === 'string' || hint == null ? hint : undefined;
}

/**
 * Claude Code transcripts (`~/.claude/projects/<encoded-cwd>/…`): discovery, detection, the
 * per-file read and the cross-file step of each project folder.
 */
export const claudeCodeSource: SessionSourceReader = {
  name: 'claude-code',
  sources: ['claude-code'],
  aliases: { claude: 'claude-code' },
  location: { url: import.meta.url, exportName: 'claudeCodeSource' },
  homeRoots: (home) => [join(home, '.claude')],
  discover: (options = {}) =>
    claudeSourceFiles({
      ...(options.roots == null ? {} : { roots: options.roots }),
      ...(options.env == null ? {} : { env: options.env }),
      ...(options.homeDirectory == null ? {} : { homeDirectory: options.homeDirectory }),
    }),
  detect: (head) => (isClaudeTranscriptHead(head) ? 'claude-code' : undefined),
  readFile(file, options = {}) {
    const metaPath = metaPathHint(file);
    return withDetail(readClaudeEvents(file.path, {
      // Summary titles are matched project-wide by `link` (a summary's leaf is often in another file).
      titlesFromSummaries: false,
      ...(metaPath === undefined ? {} : { metaPath }),
      known: { size: file.size, mtimeMs: file.mtimeMs },
      ...(options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes }),
      ...(options.branches == null ? {} : { branches: options.branches }),
      ...(options.detail == null ? {} : { detail: options.detail }),
      ...(options.onWholeRead == null ? {} : { onWholeRead: options.onWholeRead }),
      unreadableAsWarning: true,
    }), options.detail);
  },
  link: linkClaudeProject,
};
