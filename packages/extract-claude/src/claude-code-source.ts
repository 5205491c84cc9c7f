import { join } from 'node:path';
import { headRecords, sessionEvents, type SessionSourceReader, type SourceFile } from '@forge/reader-kit';
import { ClaudeExtractError } from './claude-extract-error.js';
import { discoverClaudeSessions, type ClaudeSessionFile } from './discover-claude-sessions.js';
import { linkClaudeProject, type ClaudeLinkFacts } from './link-claude-project.js';
import { readClaudeFileSessions } from './read-claude-session.js';

/** A discovered transcript in the vocabulary every reader shares; its group is its project folder. */
export function claudeSourceFile(file: ClaudeSessionFile): SourceFile {
  // `metaPath: null`: discovery found no meta.json beside a subagent transcript (nothing to look for).
  return { path: file.path, source: 'claude-code', size: file.bytes, mtimeMs: file.modifiedAt.getTime(), group: file.projectDir, hints: { metaPath: file.metaPath ?? null } };
}

/** A file's `summary` titles as link facts (none: no facts). */
export function claudeLinkFacts(summaries: [string, string][]): ClaudeLinkFacts[] {
  return summaries.length === 0 ? [] : [{ summaries }];
}

function metaPathHint(file: SourceFile): string | null | undefined {
  const hint = file.hints?.metaPath;
  return typeof hint === 'string' || hint == null ? hint : undefined;
}

// A partial first line (longer than the head) is Claude Code's when it starts like one.
const partialLinePattern = /^\s*\{"(?:parentUuid|isSidechain|type|leafUuid|sessionId|uuid)"/u;
const partialIdPattern = /"(?:parentUuid|sessionId|leafUuid|uuid)":/u;

/** Whether a parsed line is a Claude Code transcript line (claude-code.md §3, §4). */
function isClaudeRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value == null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  // Every line type carries a session or line id, except the file-history snapshots that may open a file.
  if (typeof record.type !== 'string' || record.type === 'session') return false;
  return typeof record.uuid === 'string' || typeof record.sessionId === 'string' || typeof record.leafUuid === 'string' || record.type === 'file-history-snapshot';
}

/**
 * Claude Code transcripts (`~/.claude/projects/<encoded-cwd>/…`): discovery, detection, the
 * per-file read and the cross-file step of each project folder.
 */
export const claudeCodeSource: SessionSourceReader = {
  name: 'claude-code',
  sources: ['claude-code'],
  aliases: { claude: 'claude-code' },
  homeRoots: (home) => [join(home, '.claude')],
  async *discover(options = {}) {
    const discovery = discoverClaudeSessions({
      ...(options.roots == null ? {} : { roots: options.roots }),
      ...(options.env == null ? {} : { env: options.env }),
      ...(options.homeDirectory == null ? {} : { homeDir: options.homeDirectory }),
    });
    for await (const file of discovery) yield claudeSourceFile(file);
  },
  detect(head) {
    const { values, partial } = headRecords(head, 8);
    // The first line that parses decides; lines that do not parse (a torn write) are passed over.
    const first = values.find((value) => value !== undefined);
    if (first !== undefined) return isClaudeRecord(first) ? 'claude-code' : undefined;
    return partial != null && partialLinePattern.test(partial) && partialIdPattern.test(partial) ? 'claude-code' : undefined;
  },
  async *readFile(file, options = {}) {
    const metaPath = metaPathHint(file);
    let result;
    try {
      result = await readClaudeFileSessions(file.path, {
        // Summary titles are matched project-wide by `link` (a summary's leaf is often in another file).
        titlesFromSummaries: false,
        ...(metaPath === undefined ? {} : { metaPath }),
        known: { bytes: file.size, modifiedAt: new Date(file.mtimeMs).toISOString() },
        ...(options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes }),
      });
    } catch (error) {
      if (!ClaudeExtractError.isInstance(error)) throw error;
      yield { kind: 'file-warning', warning: { file: file.path, kind: 'unreadable-file', message: `cannot read file: ${error.message}` } };
      return;
    }
    for (const session of result.sessions) yield* sessionEvents(session);
    for (const facts of claudeLinkFacts(result.summaries)) yield { kind: 'link-facts', facts };
    for (const warning of result.fileWarnings) yield { kind: 'file-warning', warning };
  },
  link: linkClaudeProject,
};
