import { readFileSync } from 'node:fs';
import { readJsonLineBatches, WarningLog, type JsonLine } from '@forge/reader-kit';
import { asString, recordType, toConversationLine, type ConversationLine, type ConversationLineType } from './claude-line.js';
import { forEachJsonLine } from './for-each-json-line.js';
import { LineTable } from './line-table.js';

/** Everything one pass over a transcript file yields. */
export interface ClaudeFileContents {
  path: string;
  /** The conversation graph: one row per conversation line (first copy of each uuid), in file order. */
  table: LineTable;
  /** The full line of each row (same index); empty when read with `light`. */
  lines: ConversationLine[];
  /** `summary` lines: leafUuid → title (the leaf is often in another file, §4.6). */
  summaries: Map<string, string>;
  /** The last `custom-title`, else the last `ai-title`. */
  customTitle?: string;
  aiTitle?: string;
  /** The `cwd` of the first conversation line that has one. */
  firstCwd?: string;
  /** The `last-prompt.leafUuid` seen last, a tie-breaker for the leaf. */
  lastPromptLeafUuid?: string;
  /** Non-empty lines read, parsed or not. */
  lineCount: number;
  warnings: WarningLog;
}

const conversationTypes = new Set<string>(['user', 'assistant', 'system', 'attachment', 'progress']);

/**
 * Bookkeeping line types seen in real files that carry nothing for a Session (claude-code.md §4,
 * plus the 2.1.330 types in fixtures/real). Counted as known, not warned about.
 */
const bookkeepingTypes = new Set<string>([
  'summary',
  'ai-title',
  'custom-title',
  'agent-name',
  'agent-color',
  'last-prompt',
  'permission-mode',
  'mode',
  'file-history-snapshot',
  'file-history-delta',
  'queue-operation',
  'agent-setting',
  'pr-link',
  'tag',
  'worktree-state',
  'attribution-snapshot',
  'content-replacement',
  'marble-origami-commit',
  'marble-origami-snapshot',
  'atis-latch',
  'tools-used',
  'cost-state',
]);

function isBookkeeping(type: string): boolean {
  // 2.1.3xx writes api-request, api-request-shape and api-request-blob: request bookkeeping.
  return bookkeepingTypes.has(type) || type.startsWith('api-request');
}

const minChunkBytes = 16 * 1024;
const maxChunkBytes = 1024 * 1024;
const lightChunkBytes = 64 * 1024;
// Files up to this size are read whole, in one synchronous call.
const wholeFileBytes = 1024 * 1024;

/**
 * Reads one transcript in a single streaming pass. Never throws on bad content. With `light`, only
 * the line table is kept (no content), so a huge file's index stays small.
 */
export async function readClaudeFile(path: string, options: { maxLineBytes?: number; fileBytes?: number; light?: boolean } = {}): Promise<ClaudeFileContents> {
  const light = options.light === true;
  const warnings = new WarningLog(path);
  const contents: ClaudeFileContents = { path, table: new LineTable({ compact: light }), lines: [], summaries: new Map(), lineCount: 0, warnings };
  // Most transcripts are far smaller than the 1 MiB default read: a buffer of the file's size
  // avoids allocating (and garbage-collecting) a megabyte per small file.
  // The index pass keeps nothing of a line's parse: small batches let it die young.
  const largest = light ? lightChunkBytes : maxChunkBytes;
  const chunkBytes = options.fileBytes == null ? (light ? largest : undefined) : Math.min(largest, Math.max(minChunkBytes, options.fileBytes + 1));
  const readOptions = { ...(options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes }), ...(chunkBytes == null ? {} : { chunkBytes }) };
  const state = { order: 0 };
  const add = (entry: JsonLine): void => addEntry(entry, contents, light, state);
  if (options.fileBytes != null && options.fileBytes <= wholeFileBytes) {
    // Most transcripts are small: one synchronous read of the whole file costs far less than a
    // streaming file handle (open, stat, reads, close each through the thread pool).
    forEachJsonLine(readFileSync(path), readOptions, add);
  } else {
    // One await per chunk read, not per line.
    for await (const batch of readJsonLineBatches(path, readOptions)) for (const entry of batch) add(entry);
  }
  contents.table.finish();
  if (contents.lineCount === 0) warnings.add('empty-file', 'file is empty');
  return contents;
}

function addEntry(entry: JsonLine, contents: ClaudeFileContents, light: boolean, state: { order: number }): void {
  const warnings = contents.warnings;
  contents.lineCount += 1;
  if (entry.kind === 'too-long') {
    warnings.add('line-too-long', `line of ${entry.bytes} bytes is over the line limit; skipped`, entry.lineNumber);
    return;
  }
  if (entry.kind === 'invalid-json') {
    if (entry.truncated) warnings.add('truncated-line', `last line is incomplete JSON (file still being written or cut): ${entry.message}`, entry.lineNumber);
    else warnings.add('invalid-json', `not valid JSON, line skipped: ${entry.message}`, entry.lineNumber);
    return;
  }
  const typed = recordType(entry.value);
  if (typed == null || typed.type == null) {
    warnings.add('invalid-record', 'line is not an object with a "type"; skipped', entry.lineNumber);
    return;
  }
  const { record, type } = typed;
  if (conversationTypes.has(type)) {
    const uuid = asString(record.uuid);
    const order = state.order;
    state.order += 1;
    if (uuid == null) {
      warnings.add('invalid-record', `${type} line without a uuid; skipped`, entry.lineNumber);
      return;
    }
    if (contents.table.has(uuid)) {
      // Same uuid twice in one file: a double write (1.0.67 stream-json) or a replay. First wins (§7.4).
      warnings.addCounted('duplicate', '', 'lines repeat an earlier line uuid in this file; later copies ignored');
      return;
    }
    if (contents.firstCwd == null && type !== 'progress') contents.firstCwd = asString(record.cwd);
    contents.table.add(record, type as ConversationLineType, uuid, entry.lineNumber, entry.byteOffset);
    if (!light) contents.lines.push(toConversationLine(record, type as ConversationLineType, order, entry.lineNumber) as ConversationLine);
    return;
  }
  readMetadataLine(record, type, contents);
}

function readMetadataLine(record: Record<string, unknown>, type: string, contents: ClaudeFileContents): void {
  switch (type) {
    case 'summary': {
      const leafUuid = asString(record.leafUuid);
      const summary = asString(record.summary);
      if (leafUuid != null && summary != null) contents.summaries.set(leafUuid, summary);
      return;
    }
    case 'ai-title': {
      const title = asString(record.aiTitle);
      if (title != null) contents.aiTitle = title;
      return;
    }
    case 'custom-title': {
      const title = asString(record.customTitle);
      if (title != null) contents.customTitle = title;
      return;
    }
    case 'last-prompt': {
      const leafUuid = asString(record.leafUuid);
      if (leafUuid != null) contents.lastPromptLeafUuid = leafUuid;
      return;
    }
    default:
      if (!isBookkeeping(type)) contents.warnings.addCounted('unknown-entry-type', type, `lines of unknown type "${type}" ignored`);
  }
}
