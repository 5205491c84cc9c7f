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

/**
 * Reads the envelope and payload of a conversation line; undefined when it has no uuid. With
 * `detail: 'summary'` (`ReadFileOptions.detail`), the payload a summary never shows is let go at
 * once ({@link dropSummaryDetail}), so it dies young instead of living until the file is read.
 */
export function toConversationLine(record: JsonObject, type: ConversationLineType, order: number, lineNumber: number, detail: 'full' | 'summary' = 'full'): ConversationLine | undefined {
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
  if (detail === 'summary') dropSummaryDetail(line);
  return line;
}

/**
 * Drops what no `summaryMessage` keeps and nothing in the reader reads: the structured tool result
 * (`toolUseResult`), tool results' content, tool calls' input (but a Task/Agent call's, whose
 * prompt links its sidechain), thinking text (only whether there was any decides the reasoning
 * state) and its signature. Most of a transcript's bytes are these; everything else of the line stays.
 */
function dropSummaryDetail(line: ConversationLine): void {
  if (line.toolUseResult !== undefined) line.toolUseResult = null;
  if (line.type === 'user' && Array.isArray(line.content)) {
    line.content = (line.content as unknown[]).map((block) => (isObject(block) && block.type === 'tool_result' ? { ...block, content: '' } : block));
  } else if (line.type === 'assistant' && line.blocks != null) {
    line.blocks = line.blocks.map((block) => {
      if (block.type === 'tool_use' && !spawnsSubagent(block.name ?? '')) return { ...block, input: {} };
      if (block.type === 'thinking') {
        // The signature only proves the thinking to the API; whether there was thinking decides the reasoning state.
        const { signature: _signature, ...kept } = block;
        return block.thinking != null && block.thinking !== '' ? { ...kept, thinking: '…' } : kept;
      }
      return block;
    });
  }
}

/** The prompt text of a user line: its string content, or its text blocks joined. */
export function lineText(line: ConversationLine): string | undefined {
  if (typeof line.content === 'string') return line.content;
  if (!Array.isArray(line.content)) return undefined;
  const texts = (line.content as { type?: unknown; text?: unknown }[]).filter((block) => block?.type === 'text' && typeof block.text === 'string').map((block) => block.text as string);
  return texts.length === 0 ? undefined : texts.join('\n');
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

/** Whether a tool call of this name starts a subagent (`Task`, later `Agent`; claude-code.md §7.3). */
export function spawnsSubagent(toolName: string): boolean {
  return toolName === 'Task' || toolName === 'Agent';
}
