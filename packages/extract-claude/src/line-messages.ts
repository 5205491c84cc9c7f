import { type Attachment, type Message, type Provenance, type Usage } from '@forge/schema';
import { type ClaudeBlock, type ClaudeUsage, type ConversationLine } from './claude-line.js';
import { classifySystemLine, classifyUserText } from './classify-user-text.js';
import { type WarningLog } from '@forge/reader-kit';

const knownAssistantBlocks = new Set(['text', 'thinking', 'redacted_thinking', 'tool_use', 'image']);
// Server-side tool blocks are answered inside the same response; kept as a count, not as calls.
const serverToolBlocks = new Set(['server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result', 'code_execution_tool_result', 'mcp_tool_use', 'mcp_tool_result']);
const imagePlaceholder = '[image]';

/** An assistant response being merged from its lines. */
export interface AssistantDraft {
  message: Message;
  texts: string[];
  thinking: string[];
  hollowThinking: boolean;
  toolCallIds: Set<string>;
  usageCandidates: ClaudeUsage[];
  sawFinalStop: boolean;
  synthetic: boolean;
  responseId?: string;
}

/** Tool call id → tool name (a Map, or the message stream's compact table). */
export interface ToolNames {
  get(toolCallId: string): string | undefined;
}

/**
 * Adds the messages one line makes (or merges an assistant line into its response's draft): the
 * line-level mapping of claude-code.md §6, §8. `MessageStream` puts them in API order.
 */
export function addLineMessages(line: ConversationLine, messages: Message[], drafts: Map<string, AssistantDraft>, toolNames: ToolNames, warnings: WarningLog): void {
  switch (line.type) {
    case 'user':
      addUserLine(line, messages, toolNames, warnings);
      break;
    case 'assistant':
      addAssistantLine(line, messages, drafts, warnings);
      break;
    case 'system': {
      const text = typeof line.content === 'string' ? line.content : '';
      const provenance = classifySystemLine(line.subtype, text);
      if (provenance != null) messages.push(harnessMessage(line, text, provenance, line.retryAttempt == null ? undefined : { retryAttempt: line.retryAttempt }));
      break;
    }
    case 'attachment':
      messages.push(attachmentMessage(line));
      break;
    case 'progress':
      break;
  }
}

/** The key that groups the lines of one response: message.id + requestId (synthetic lines may lack one). */
export function draftKey(line: ConversationLine): string {
  return line.messageId == null ? `line:${line.uuid}` : `${line.messageId}\u0000${line.requestId ?? ''}`;
}

function baseMessage(line: ConversationLine, role: Message['role'], text: string, provenance: Provenance): Message {
  const message: Message = { role, text, reasoning: { state: 'absent' }, toolCalls: [], provenance, sourceIds: [line.uuid] };
  if (line.timestamp != null) message.timestamp = line.timestamp;
  return message;
}

function harnessMessage(line: ConversationLine, text: string, provenance: Provenance, metadata?: Record<string, unknown>): Message {
  const message = baseMessage(line, 'system', text, provenance);
  if (provenance === 'api-error') message.errorMessage = text;
  if (metadata != null) message.metadata = metadata;
  return message;
}

function attachmentMessage(line: ConversationLine): Message {
  const type = line.attachmentType ?? 'unknown';
  const text = line.attachmentText ?? `[${type}]`;
  // queued_command is user steering typed mid-turn: real input (§4.4).
  if (type === 'queued_command') {
    const message = baseMessage(line, 'user', text, classifyUserText(text, {}));
    message.metadata = { attachmentType: type };
    return message;
  }
  const provenance: Provenance = type.startsWith('hook_') ? 'hook-output' : 'attachment';
  return harnessMessage(line, text, provenance, { attachmentType: type });
}

function addUserLine(line: ConversationLine, messages: Message[], toolNames: ToolNames, warnings: WarningLog): void {
  const content = line.content;
  if (typeof content === 'string') {
    messages.push(baseMessage(line, 'user', content, classifyUserText(content, line)));
    return;
  }
  if (!Array.isArray(content)) {
    warnings.add('invalid-record', 'user line without message.content; skipped', line.lineNumber);
    return;
  }
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  let toolUseResultUsed = false;
  for (const raw of content as ClaudeBlock[]) {
    if (typeof raw !== 'object' || raw == null) continue;
    switch (raw.type) {
      case 'text':
        texts.push(raw.text ?? '');
        break;
      case 'image':
        texts.push(imagePlaceholder);
        attachments.push(imageAttachment(raw));
        break;
      case 'tool_result': {
        const toolCallId = raw.tool_use_id ?? '';
        const resultAttachments: Attachment[] = [];
        const text = toolResultText(raw.content, resultAttachments);
        const message = baseMessage(line, 'tool', text, 'conversation');
        message.toolResult = { toolCallId, toolName: toolNames.get(toolCallId) ?? 'unknown', isError: raw.is_error === true, text };
        if (resultAttachments.length > 0) message.attachments = resultAttachments;
        // The structured twin of the result is for UIs, never model input (§5.3).
        if (!toolUseResultUsed && line.toolUseResult !== undefined) {
          message.metadata = { toolUseResult: line.toolUseResult };
          toolUseResultUsed = true;
        }
        messages.push(message);
        break;
      }
      default:
        warnings.addCounted('unknown-block-type', `user:${raw.type}`, `user content blocks of unknown type "${raw.type}" ignored`, line.lineNumber);
    }
  }
  if (texts.length > 0) {
    const text = texts.join('\n');
    const message = baseMessage(line, 'user', text, classifyUserText(texts.find((entry) => entry !== imagePlaceholder) ?? text, line));
    if (attachments.length > 0) message.attachments = attachments;
    if (line.thinkingLevel != null) message.thinkingLevel = line.thinkingLevel;
    messages.push(message);
  }
}

function imageAttachment(block: ClaudeBlock): Attachment {
  const attachment: Attachment = { kind: 'image' };
  const mimeType = block.source?.media_type;
  if (typeof mimeType === 'string') attachment.mimeType = mimeType;
  return attachment;
}

function toolResultText(content: unknown, attachments: Attachment[]): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content as ClaudeBlock[]) {
    if (block?.type === 'text') parts.push(block.text ?? '');
    else if (block?.type === 'image') {
      parts.push(imagePlaceholder);
      attachments.push(imageAttachment(block));
    }
  }
  return parts.join('\n');
}

function addAssistantLine(line: ConversationLine, messages: Message[], drafts: Map<string, AssistantDraft>, warnings: WarningLog): void {
  // Lines of one response share message.id (and requestId); synthetic lines may lack one.
  const key = draftKey(line);
  let draft = drafts.get(key);
  if (draft == null) {
    const synthetic = line.model === '<synthetic>';
    const provenance: Provenance = line.isApiErrorMessage === true ? 'api-error' : synthetic ? 'harness' : 'conversation';
    const message = baseMessage(line, 'assistant', '', provenance);
    if (line.model != null && !synthetic) message.model = line.model;
    if (line.thinkingLevel != null) message.thinkingLevel = line.thinkingLevel;
    draft = { message, texts: [], thinking: [], hollowThinking: false, toolCallIds: new Set(), usageCandidates: [], sawFinalStop: false, synthetic };
    if (line.messageId != null) draft.responseId = line.messageId;
    drafts.set(key, draft);
    messages.push(message);
  } else {
    draft.message.sourceIds?.push(line.uuid);
  }
  if (line.stopReason != null) {
    draft.message.stopReason = line.stopReason;
    draft.sawFinalStop = true;
  }
  if (line.usage != null) draft.usageCandidates.push(line.usage);
  if (line.isApiErrorMessage === true) draft.message.errorMessage = typeof line.error === 'string' ? line.error : 'api error';
  for (const block of line.blocks ?? []) addAssistantBlock(block, draft, line, warnings);
}

function addAssistantBlock(block: ClaudeBlock, draft: AssistantDraft, line: ConversationLine, warnings: WarningLog): void {
  switch (block.type) {
    case 'text': {
      const text = block.text ?? '';
      // A line written twice repeats its block: drop exact repeats (§6.1).
      if (!draft.texts.includes(text)) draft.texts.push(text);
      return;
    }
    case 'thinking': {
      const thinking = block.thinking ?? '';
      if (thinking === '') draft.hollowThinking = true;
      else if (!draft.thinking.includes(thinking)) draft.thinking.push(thinking);
      return;
    }
    case 'redacted_thinking':
      draft.hollowThinking = true;
      return;
    case 'tool_use': {
      const id = block.id ?? `${line.uuid}:tool`;
      if (draft.toolCallIds.has(id)) return;
      draft.toolCallIds.add(id);
      draft.message.toolCalls.push({ id, name: block.name ?? 'unknown', arguments: JSON.stringify(block.input ?? {}) });
      return;
    }
    case 'image':
      draft.texts.push(imagePlaceholder);
      draft.message.attachments = [...(draft.message.attachments ?? []), imageAttachment(block)];
      return;
    default:
      if (serverToolBlocks.has(block.type)) {
        const metadata = (draft.message.metadata ??= {});
        metadata.serverToolBlocks = ((metadata.serverToolBlocks as number | undefined) ?? 0) + 1;
        return;
      }
      if (!knownAssistantBlocks.has(block.type)) {
        warnings.addCounted('unknown-block-type', `assistant:${block.type}`, `assistant content blocks of unknown type "${block.type}" ignored`, line.lineNumber);
      }
  }
}

/** Completes a response once all its lines are in: text, reasoning, final usage. */
export function finishAssistant(draft: AssistantDraft): void {
  const { message } = draft;
  // Line uuids first (dedup reads them), the response id last.
  if (draft.responseId != null) message.sourceIds?.push(draft.responseId);
  message.text = draft.texts.join('\n');
  if (draft.thinking.length > 0) message.reasoning = { state: 'present', text: draft.thinking.join('\n\n') };
  else if (draft.hollowThinking) message.reasoning = { state: 'hollow' };
  const usage = finalUsage(draft.usageCandidates);
  if (usage != null) message.usage = usage;
}

/**
 * The usage of one response: the line with the largest token total, the later one on ties.
 * Lines repeat a snapshot or carry the final count; they are never added up (§6.1, ccusage's rule).
 */
export function finalUsage(candidates: readonly ClaudeUsage[]): Usage | undefined {
  let best: Usage | undefined;
  let bestTotal = -1;
  for (const candidate of candidates) {
    const usage = toUsage(candidate);
    const total = usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
    if (total >= bestTotal) {
      best = usage;
      bestTotal = total;
    }
  }
  return best;
}

function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.trunc(value) : 0;
}

/** Anthropic usage names → the canonical ones. */
export function toUsage(usage: ClaudeUsage): Usage {
  return {
    input: tokens(usage.input_tokens),
    output: tokens(usage.output_tokens),
    cacheRead: tokens(usage.cache_read_input_tokens),
    cacheWrite: tokens(usage.cache_creation_input_tokens),
  };
}
