/**
 * The parts of a Claude Code JSONL line the reader keeps. The raw line is dropped right after
 * parsing so memory holds only what a Session needs (claude-code.md §3, §4).
 */

/** Line types that take part in the parentUuid graph. */
export type ConversationLineType = 'user' | 'assistant' | 'system' | 'attachment' | 'progress';

/** One content block, as written (claude-code.md §5.1); unknown types pass through. */
export interface ClaudeBlock {
  type: string;
  text?: string;
  thinking?: string;
  signature?: string;
  data?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
  source?: { media_type?: string; type?: string };
}

/** Anthropic usage as written on an assistant line (claude-code.md §5.4). */
export interface ClaudeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** A conversation (DAG) line with the fields the session builder reads. */
export interface ConversationLine {
  /** Position among the file's parsed lines: the file order. */
  order: number;
  lineNumber: number;
  type: ConversationLineType;
  uuid: string;
  parentUuid: string | null;
  logicalParentUuid?: string;
  isSidechain: boolean;
  agentId?: string;
  sessionId?: string;
  timestamp?: string;
  cwd?: string;
  gitBranch?: string;
  version?: string;
  subtype?: string;
  isMeta?: boolean;
  isCompactSummary?: boolean;
  /** user: message.content; system: content. */
  content?: unknown;
  toolUseResult?: unknown;
  thinkingLevel?: string;
  /** assistant lines. */
  messageId?: string;
  requestId?: string;
  model?: string;
  stopReason?: string | null;
  usage?: ClaudeUsage;
  blocks?: ClaudeBlock[];
  isApiErrorMessage?: boolean;
  error?: unknown;
  /** attachment lines. */
  attachmentType?: string;
  attachmentText?: string;
  /** system api_error lines. */
  retryAttempt?: number;
  /** Where the line starts in its file: the streaming reader re-reads it from there. */
  byteOffset?: number;
  /**
   * Set on index lines (`light` reading), whose heavy payload (content, blocks, toolUseResult) is
   * dropped: the ids thread selection and message ordering need, taken from that payload.
   */
  index?: LineIndex;
}

/** What an index line keeps of its payload (see `ConversationLine.index`). */
export interface LineIndex {
  /** assistant: `[id, name]` of each tool_use block with an id, as the message builder reads them. */
  toolUses?: [unknown, string][];
  /** user: the `tool_use_id ?? ''` of each tool_result block, as the message builder reads them. */
  resultCallIds?: unknown[];
  /** user: the line has text a prompt can be read from (`lineText` is not undefined). */
  hasText?: boolean;
}

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** The value if it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value != null && !Array.isArray(value);
}

/** Reads the envelope and payload of a conversation line; undefined when it has no uuid. */
export function toConversationLine(record: JsonObject, type: ConversationLineType, order: number, lineNumber: number): ConversationLine | undefined {
  const uuid = asString(record.uuid);
  if (uuid == null) return undefined;
  const line: ConversationLine = {
    order,
    lineNumber,
    type,
    uuid,
    parentUuid: asString(record.parentUuid) ?? null,
    isSidechain: record.isSidechain === true,
  };
  const logicalParentUuid = asString(record.logicalParentUuid);
  if (logicalParentUuid != null) line.logicalParentUuid = logicalParentUuid;
  const agentId = asString(record.agentId);
  if (agentId != null) line.agentId = agentId;
  const sessionId = asString(record.sessionId);
  if (sessionId != null) line.sessionId = sessionId;
  const timestamp = asString(record.timestamp);
  if (timestamp != null) line.timestamp = timestamp;
  // Progress lines are only graph nodes to walk through; their payload mirrors other lines (§4.5).
  if (type === 'progress') return line;
  const cwd = asString(record.cwd);
  if (cwd != null) line.cwd = cwd;
  const gitBranch = asString(record.gitBranch);
  if (gitBranch != null) line.gitBranch = gitBranch;
  const version = asString(record.version);
  if (version != null) line.version = version;
  if (record.isMeta === true) line.isMeta = true;

  switch (type) {
    case 'user':
      readUser(record, line);
      break;
    case 'assistant':
      readAssistant(record, line);
      break;
    case 'system':
      readSystem(record, line);
      break;
    case 'attachment':
      readAttachment(record, line);
      break;
  }
  return line;
}

/** Reuses equal strings within one file, so a huge file's index holds each repeated value once. */
export class StringPool {
  private readonly pool = new Map<string, string>();
  private last: string | undefined;

  /** The pooled copy of a string that repeats across lines (session id, subtype, agent id). */
  shared(value: string | undefined): string | undefined {
    if (value == null) return undefined;
    const known = this.pool.get(value);
    if (known != null) return known;
    if (this.pool.size < 10_000) this.pool.set(value, value);
    return value;
  }

  /** The previous value again when equal: response ids repeat on consecutive lines. */
  recent(value: string | undefined): string | undefined {
    if (value == null) return undefined;
    if (value === this.last) return this.last;
    this.last = value;
    return value;
  }
}

const emptyIndex: LineIndex = Object.freeze({});

/**
 * The index line of a conversation line (`ConversationLine.index`): graph and grouping fields and
 * the ids taken from the payload, nothing else, in one fixed-shape object so a huge file's index
 * stays small. `parentUuid` is resolved to an already known uuid string when possible.
 */
export function toIndexLine(
  record: JsonObject,
  type: ConversationLineType,
  order: number,
  lineNumber: number,
  byteOffset: number,
  pools: { shared: StringPool; messageIds: StringPool; requestIds: StringPool; uuids: ReadonlyMap<string, ConversationLine> },
): ConversationLine | undefined {
  const uuid = asString(record.uuid);
  if (uuid == null) return undefined;
  const parentUuid = asString(record.parentUuid);
  const index: LineIndex = type === 'assistant' ? assistantIndex(record) : type === 'user' ? userIndex(record) : emptyIndex;
  const sessionId = pools.shared.shared(asString(record.sessionId));
  const parent = parentUuid == null ? null : (pools.uuids.get(parentUuid)?.uuid ?? parentUuid);
  const isSidechain = record.isSidechain === true;
  // Two literal shapes (assistant or not) with only the common fields in-object; rare ones are added.
  let line: ConversationLine;
  if (type === 'assistant') {
    const message = isObject(record.message) ? record.message : undefined;
    const messageId = pools.messageIds.recent(asString(message?.id));
    const requestId = pools.requestIds.recent(asString(record.requestId));
    line = { order, lineNumber, type, uuid, parentUuid: parent, isSidechain, sessionId, byteOffset, index, messageId, requestId };
    if (record.isApiErrorMessage === true) line.isApiErrorMessage = true;
  } else {
    line = { order, lineNumber, type, uuid, parentUuid: parent, isSidechain, sessionId, byteOffset, index };
    if (type === 'system') {
      const subtype = pools.shared.shared(asString(record.subtype));
      if (subtype != null) line.subtype = subtype;
    }
  }
  const logicalParentUuid = asString(record.logicalParentUuid);
  if (logicalParentUuid != null) line.logicalParentUuid = logicalParentUuid;
  const agentId = asString(record.agentId);
  if (agentId != null) line.agentId = pools.shared.shared(agentId);
  if (type !== 'progress' && record.isMeta === true) line.isMeta = true;
  return line;
}

function assistantIndex(record: JsonObject): LineIndex {
  const message = isObject(record.message) ? record.message : undefined;
  if (!Array.isArray(message?.content)) return emptyIndex;
  const toolUses: [unknown, string][] = [];
  for (const block of message.content as unknown[]) {
    if (!isObject(block)) continue;
    const { type, id, name } = block as unknown as ClaudeBlock;
    if (type === 'tool_use' && id != null) toolUses.push([id, name ?? 'unknown']);
  }
  return toolUses.length === 0 ? emptyIndex : { toolUses };
}

function userIndex(record: JsonObject): LineIndex {
  const content = isObject(record.message) ? record.message.content : undefined;
  const index: LineIndex = {};
  if (Array.isArray(content)) {
    const resultCallIds: unknown[] = [];
    for (const block of content as unknown[]) {
      if (typeof block === 'object' && block != null && (block as ClaudeBlock).type === 'tool_result') resultCallIds.push((block as ClaudeBlock).tool_use_id ?? '');
    }
    if (resultCallIds.length > 0) index.resultCallIds = resultCallIds;
  }
  if (lineText({ content } as ConversationLine) != null) index.hasText = true;
  return index.resultCallIds == null && index.hasText == null ? emptyIndex : index;
}

/** The prompt text of a user line: its string content, or its text blocks joined. */
export function lineText(line: ConversationLine): string | undefined {
  if (typeof line.content === 'string') return line.content;
  if (!Array.isArray(line.content)) return undefined;
  const texts = (line.content as { type?: unknown; text?: unknown }[]).filter((block) => block?.type === 'text' && typeof block.text === 'string').map((block) => block.text as string);
  return texts.length === 0 ? undefined : texts.join('\n');
}

/** The tool_use ids of an assistant line (index or full), as thread selection reads them. */
export function toolUseIdsOf(line: ConversationLine): unknown[] {
  if (line.index != null) return line.index.toolUses?.map(([id]) => id) ?? [];
  const ids: unknown[] = [];
  for (const block of line.blocks ?? []) if (block.type === 'tool_use' && block.id != null) ids.push(block.id);
  return ids;
}

/** The string tool_use_ids a user line answers (index or full), as thread selection reads them. */
export function toolResultIdsOf(line: ConversationLine): string[] {
  if (line.index != null) return (line.index.resultCallIds ?? []).filter((id): id is string => typeof id === 'string');
  if (!Array.isArray(line.content)) return [];
  const ids: string[] = [];
  for (const block of line.content as unknown[]) {
    const toolUseId = (block as { tool_use_id?: unknown } | null)?.tool_use_id;
    if ((block as { type?: unknown } | null)?.type === 'tool_result' && typeof toolUseId === 'string') ids.push(toolUseId);
  }
  return ids;
}

function readUser(record: JsonObject, line: ConversationLine): void {
  const message = isObject(record.message) ? record.message : undefined;
  line.content = message?.content;
  if (record.isCompactSummary === true) line.isCompactSummary = true;
  if (record.toolUseResult !== undefined) line.toolUseResult = record.toolUseResult;
  const thinking = isObject(record.thinkingMetadata) ? record.thinkingMetadata : undefined;
  const level = asString(thinking?.level);
  if (level != null && thinking?.disabled !== true) line.thinkingLevel = level;
}

function readAssistant(record: JsonObject, line: ConversationLine): void {
  const message = isObject(record.message) ? record.message : {};
  const messageId = asString(message.id);
  if (messageId != null) line.messageId = messageId;
  const requestId = asString(record.requestId);
  if (requestId != null) line.requestId = requestId;
  const model = asString(message.model);
  if (model != null) line.model = model;
  line.stopReason = asString(message.stop_reason) ?? null;
  if (isObject(message.usage)) line.usage = message.usage;
  line.blocks = Array.isArray(message.content)
    ? (message.content.filter(isObject) as unknown as ClaudeBlock[])
    : typeof message.content === 'string'
      ? [{ type: 'text', text: message.content }]
      : [];
  if (record.isApiErrorMessage === true) line.isApiErrorMessage = true;
  if (record.error !== undefined) line.error = record.error;
  const effort = asString(record.effort);
  if (effort != null) line.thinkingLevel = effort;
}

function readSystem(record: JsonObject, line: ConversationLine): void {
  const subtype = asString(record.subtype);
  if (subtype != null) line.subtype = subtype;
  if (subtype === 'api_error') {
    const error = isObject(record.error) ? record.error : undefined;
    line.content = asString(error?.formatted) ?? asString(error?.message) ?? asString(record.content);
    if (typeof record.retryAttempt === 'number') line.retryAttempt = record.retryAttempt;
    return;
  }
  line.content = asString(record.content);
}

function readAttachment(record: JsonObject, line: ConversationLine): void {
  const attachment = isObject(record.attachment) ? record.attachment : {};
  line.attachmentType = asString(attachment.type) ?? 'unknown';
  // Keep only text a transform could want: hook output, queued user input, reminders.
  const text = asString(attachment.stdout) || asString(attachment.content) || asString(attachment.prompt) || textOfBlocks(attachment.prompt);
  if (text != null && text !== '') line.attachmentText = text;
}

function textOfBlocks(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const texts = value.filter(isObject).map((block) => asString(block.text) ?? '');
  return texts.length === 0 ? undefined : texts.join('\n');
}

/** The top-level `type` of a parsed line, or undefined for values that are not objects. */
export function recordType(value: unknown): { record: JsonObject; type: string | undefined } | undefined {
  if (!isObject(value)) return undefined;
  return { record: value, type: asString(value.type) };
}
