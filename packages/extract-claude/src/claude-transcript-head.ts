import { headRecords } from '@forge/reader-kit';

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

/** Whether a file's first bytes (at most 64 KiB; they may end mid-line) are a Claude Code transcript's. */
export function isClaudeTranscriptHead(head: Buffer): boolean {
  const { values, partial } = headRecords(head, 8);
  // The first line that parses decides; lines that do not parse (a torn write) are passed over.
  const first = values.find((value) => value !== undefined);
  if (first !== undefined) return isClaudeRecord(first);
  return partial != null && partialLinePattern.test(partial) && partialIdPattern.test(partial);
}
