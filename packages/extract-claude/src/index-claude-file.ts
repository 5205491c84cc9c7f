import { reportBadLine, WarningLog, type BadLineWording, type RawLineBatch } from '@forge/reader-kit';
import { asString, toConversationLine, type ConversationLine, type ConversationLineType } from './claude-line.js';
import { LineTable } from './line-table.js';
import { LineFields, scanClaudeLine } from './scan-claude-line.js';
import { summaryLineText } from './summary-line-text.js';

/** Everything pass 1 over a transcript file keeps: no content, only what plans its trajectories. */
export interface ClaudeFileIndex {
  path: string;
  /** The conversation graph: one row per conversation line (first copy of each uuid), in file order. */
  table: LineTable;
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
  /** With `keep`: each row's full line, so pass 2 needs no second parse. */
  lines?: ConversationLine[];
  /** Where each `api-request-shape` line is, by its hash (the later line wins), and the last one. */
  shapes: Map<string, number>;
  lastShapeOffset?: number;
  /** The shape the last `api-request` line names: what the model was offered last. */
  lastRequestShapeHash?: string;
}

/** The words of Claude Code's bad-line warnings. */
export const claudeBadLineWording: BadLineWording = {
  tooLong: (bytes) => `line of ${bytes} bytes is over the line limit; skipped`,
  truncated: (reason) => `last line is incomplete JSON (file still being written or cut): ${reason}`,
  invalid: (reason) => `not valid JSON, line skipped: ${reason}`,
};

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

// A line that opens with its type: bookkeeping lines do (`{"type":"file-history-snapshot",…`).
const leadingType = /^\{"type":"([a-z-]+)"/u;
const typeFirst = Buffer.from('{"type":"');

/**
 * Pass 1: every line's graph links, response and tool ids into a `LineTable`, the title lines, and
 * the line-level warnings. Never throws on bad content. Lines are walked, not parsed
 * (`scanClaudeLine`); only a line the walk cannot follow is handed to `JSON.parse`. With `keep`
 * (a file small enough to hold), conversation lines are parsed once and kept for pass 2 instead
 * (with `detail: 'summary'`, without what a summary never shows), and only the bookkeeping lines,
 * which no Session needs, are walked.
 */
export async function indexClaudeFile(path: string, batches: AsyncIterable<RawLineBatch> | Iterable<RawLineBatch>, options: { keep: boolean; detail?: 'full' | 'summary' }): Promise<ClaudeFileIndex> {
  const warnings = new WarningLog(path);
  // A file held whole keeps its uuids in a Map (faster); a streamed one packs them into typed arrays.
  const index: ClaudeFileIndex = { path, table: new LineTable({ compact: !options.keep }), summaries: new Map(), lineCount: 0, warnings, shapes: new Map() };
  if (options.keep) index.lines = [];
  const fields = new LineFields();
  for await (const batch of batches) {
    for (let row = 0; row < batch.count; row += 1) {
      const record = options.keep && !batch.tooLong(row) && !isBookkeepingLine(batch, row) ? parseLine(batch, row, index, options.detail) : readLine(batch, row, fields, index);
      if (record === false) continue;
      if (record === true) {
        addLine(fields, batch.lineNumber(row), batch.byteOffset(row), index);
        continue;
      }
      // A conversation line is mapped once, and the index reads its fields from that.
      const type = asString(record.type);
      if (type != null && conversationTypes.has(type) && typeof record.uuid === 'string' && !index.table.has(record.uuid)) {
        const line = toConversationLine(record, type as ConversationLineType, index.table.count, batch.lineNumber(row), options.detail) as ConversationLine;
        fields.fromLine(line);
        addLine(fields, batch.lineNumber(row), batch.byteOffset(row), index);
        index.lines?.push(line);
        continue;
      }
      fields.fromRecord(record);
      addLine(fields, batch.lineNumber(row), batch.byteOffset(row), index);
    }
  }
  index.table.finish();
  if (index.lineCount === 0) warnings.add('empty-file', 'file is empty');
  return index;
}

/** Whether a line opens with a type that is neither a conversation line nor unknown: it is walked, never kept. */
function isBookkeepingLine(batch: RawLineBatch, row: number): boolean {
  // Conversation lines open with their envelope (`{"parentUuid":…`): most lines stop here.
  if (!batch.startsWith(row, typeFirst)) return false;
  const type = leadingType.exec(batch.head(row, 48))?.[1];
  return type != null && !conversationTypes.has(type) && isBookkeeping(type);
}

/**
 * A line parsed: its object (an empty one for a JSON value that is no object: an invalid record),
 * false for a blank or bad line. With `detail: 'summary'`, without the values no summary reads
 * (`summaryLineText`); a line whose rest does not parse is parsed whole, for the same warning.
 */
function parseLine(batch: RawLineBatch, row: number, index: ClaudeFileIndex, detail: 'full' | 'summary' | undefined): Record<string, unknown> | false {
  let value: unknown;
  const cut = detail === 'summary' ? summaryText(batch, row) : undefined;
  try {
    value = JSON.parse(cut ?? batch.text(row));
  } catch (error) {
    if (cut != null) return parseLine(batch, row, index, 'full');
    if (reportBadLine(index.warnings, batch, row, error, claudeBadLineWording)) index.lineCount += 1;
    return false;
  }
  index.lineCount += 1;
  return typeof value === 'object' && value != null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

// A line with something to cut names its block type within its first bytes (after the envelope, and a tool_use_id or a model and id).
const cutMarks = [Buffer.from('"tool_result"'), Buffer.from('"tool_use"'), Buffer.from('"thinking"')];
const markWindow = 2048;
// Below this, walking a line to cut it costs more than parsing what it would cut (measured on the
// stats bench corpus: cutting every line took 1.35x the CPU of parsing them whole; cutting only
// lines of 4 KB or more, 0.8x).
const minCutBytes = 4096;

/** A tool result's or tool call's or thinking line's text with what no summary reads cut out; undefined for other lines (parsed whole), or when the walk cannot follow. */
function summaryText(batch: RawLineBatch, row: number): string | undefined {
  const source = batch.source(row);
  const start = batch.sourceStart(row);
  const end = start + batch.byteLength(row);
  if (end - start < minCutBytes) return undefined;
  // A cheap guess of which lines to walk: a wrong one costs time, never a figure (the walk decides what is cut).
  const head = source.subarray(start, Math.min(end, start + markWindow));
  if (!cutMarks.some((mark) => head.indexOf(mark) !== -1)) return undefined;
  return summaryLineText(source, start, end);
}

/** Reads a line's fields by walking it; false (with a warning where one is due) for a blank or bad line. */
function readLine(batch: RawLineBatch, row: number, fields: LineFields, index: ClaudeFileIndex): boolean {
  if (!batch.tooLong(row)) {
    const bytes = batch.bytes(row);
    if (scanClaudeLine(bytes, 0, bytes.length, fields)) {
      index.lineCount += 1;
      return true;
    }
  }
  let value: unknown;
  try {
    if (batch.tooLong(row)) throw new Error('line too long');
    value = JSON.parse(batch.text(row));
  } catch (error) {
    if (reportBadLine(index.warnings, batch, row, error, claudeBadLineWording)) index.lineCount += 1;
    return false;
  }
  index.lineCount += 1;
  if (typeof value !== 'object' || value == null || Array.isArray(value)) {
    fields.reset();
    return true;
  }
  fields.fromRecord(value as Record<string, unknown>);
  return true;
}

/** Adds a read line to the index; the row and type of a conversation line that became a row. */
function addLine(fields: LineFields, lineNumber: number, byteOffset: number, index: ClaudeFileIndex): { row: number; type: ConversationLineType } | undefined {
  const { warnings } = index;
  const type = asString(fields.type);
  if (type == null) {
    warnings.add('invalid-record', 'line is not an object with a "type"; skipped', lineNumber);
    return undefined;
  }
  if (conversationTypes.has(type)) {
    const uuid = asString(fields.uuid);
    if (uuid == null) {
      warnings.add('invalid-record', `${type} line without a uuid; skipped`, lineNumber);
      return undefined;
    }
    if (index.table.has(uuid)) {
      // Same uuid twice in one file: a double write (1.0.67 stream-json) or a replay. First wins (§7.4).
      warnings.addCounted('duplicate', '', 'lines repeat an earlier line uuid in this file; later copies ignored');
      return undefined;
    }
    if (index.firstCwd == null && type !== 'progress') index.firstCwd = asString(fields.cwd);
    const row = index.table.count;
    index.table.add(fields, type as ConversationLineType, uuid, lineNumber, byteOffset);
    return { row, type: type as ConversationLineType };
  }
  switch (type) {
    case 'summary': {
      const leafUuid = asString(fields.leafUuid);
      const summary = asString(fields.summary);
      if (leafUuid != null && summary != null) index.summaries.set(leafUuid, summary);
      return undefined;
    }
    case 'ai-title': {
      const title = asString(fields.aiTitle);
      if (title != null) index.aiTitle = title;
      return undefined;
    }
    case 'custom-title': {
      const title = asString(fields.customTitle);
      if (title != null) index.customTitle = title;
      return undefined;
    }
    case 'last-prompt': {
      const leafUuid = asString(fields.leafUuid);
      if (leafUuid != null) index.lastPromptLeafUuid = leafUuid;
      return undefined;
    }
    case 'api-request-shape': {
      const hash = asString(fields.shapeHash);
      if (hash != null) index.shapes.set(hash, byteOffset);
      index.lastShapeOffset = byteOffset;
      return undefined;
    }
    case 'api-request': {
      const hash = asString(fields.shapeHash);
      if (hash != null) index.lastRequestShapeHash = hash;
      return undefined;
    }
    default:
      if (!isBookkeeping(type)) warnings.addCounted('unknown-entry-type', type, `lines of unknown type "${type}" ignored`);
  }
  return undefined;
}
