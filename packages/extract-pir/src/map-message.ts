import { isGasTownBeacon, isGasTownNudge, isJsonObject, stringField, tokenCount, type JsonObject, type WarningLog } from '@forge/reader-kit';
import { type Attachment, type Message, type Provenance, type Reasoning, type ToolCall, type Usage } from '@forge/schema';
import { isoTimestamp } from './iso-timestamp.js';

/** pir's context wording for summaries (constants in pir's session.rs); TS pi uses the same text. */
export const COMPACTION_SUMMARY_PREFIX = 'The conversation history before this point was compacted into the following summary:\n\n<summary>\n';
export const COMPACTION_SUMMARY_SUFFIX = '\n</summary>';
export const BRANCH_SUMMARY_PREFIX = 'The following is a summary of a branch that this conversation came back from:\n\n<summary>\n';
export const BRANCH_SUMMARY_SUFFIX = '</summary>';

/** Where the message came from inside the file, for warnings and `sourceIds`. */
export interface EntrySource {
  entryId: string;
  line: number;
  /** The entry's append time (ISO), used when the message has no own timestamp. */
  timestamp: string | undefined;
}

/** A mapped message plus what assembly needs to know about it. */
export interface MappedMessage {
  message: Message;
  /** The provider response id (omp/pi write `responseId`): usage is counted once per response. */
  responseId?: string;
}

// Most messages have no reasoning and no tool calls: share one frozen value instead of allocating
// (and later garbage-collecting) one per message.
export const ABSENT_REASONING: Reasoning = Object.freeze({ state: 'absent' });
export const NO_TOOL_CALLS: ToolCall[] = Object.freeze([]) as unknown as ToolCall[];

interface ContentParts {
  text: string;
  reasoning: Reasoning;
  toolCalls: ToolCall[];
  /** Allocated only for content with images. */
  attachments: Attachment[] | undefined;
}

/** Turns a content string or block array into text, reasoning, tool calls and attachment placeholders. */
export function readContent(content: unknown, source: EntrySource, warnings: WarningLog): ContentParts {
  const parts: ContentParts = { text: '', reasoning: ABSENT_REASONING, toolCalls: NO_TOOL_CALLS, attachments: undefined };
  if (typeof content === 'string') {
    parts.text = content;
    return parts;
  }
  if (!Array.isArray(content)) return parts;
  // Most content is one text block: its string is used as is, no array and join.
  if (content.length === 1) {
    const block: unknown = content[0];
    if (isJsonObject(block) && block.type === 'text' && typeof block.text === 'string') {
      parts.text = block.text;
      return parts;
    }
  }
  const texts: string[] = [];
  const thoughts: string[] = [];
  let hollow = false;
  for (const block of content as unknown[]) {
    if (!isJsonObject(block)) continue;
    switch (block.type) {
      case 'text': {
        const text = stringField(block, 'text');
        if (text != null) texts.push(text);
        break;
      }
      case 'thinking': {
        const thinking = stringField(block, 'thinking') ?? '';
        // TS pi marks redacted thinking with `redacted: true`; an empty block with a signature is the same loss.
        if (block.redacted === true || (thinking === '' && stringField(block, 'thinkingSignature') != null)) hollow = true;
        else if (thinking !== '') thoughts.push(thinking);
        break;
      }
      case 'redacted_thinking':
        hollow = true;
        break;
      case 'image': {
        const mimeType = stringField(block, 'mimeType');
        texts.push(`[image${mimeType == null ? '' : `: ${mimeType}`}]`);
        parts.attachments ??= [];
        parts.attachments.push(mimeType == null ? { kind: 'image' } : { kind: 'image', mimeType });
        break;
      }
      case 'toolCall': {
        const argumentsValue = block.arguments;
        if (parts.toolCalls === NO_TOOL_CALLS) parts.toolCalls = [];
        parts.toolCalls.push({
          id: stringField(block, 'id') ?? '',
          name: stringField(block, 'name') ?? '',
          arguments: typeof argumentsValue === 'string' ? argumentsValue : JSON.stringify(argumentsValue ?? {}),
        });
        break;
      }
      default:
        warnings.addCounted('unknown-block-type', String(block.type), `unknown content block type ${JSON.stringify(block.type)} (kept out of the text)`, source.line);
    }
  }
  parts.text = texts.join('\n');
  if (thoughts.length > 0) parts.reasoning = { state: 'present', text: thoughts.join('\n') };
  else if (hollow) parts.reasoning = { state: 'hollow' };
  return parts;
}

function usageOf(raw: unknown): Usage | undefined {
  if (!isJsonObject(raw)) return undefined;
  const usage: Usage = { input: tokenCount(raw.input), output: tokenCount(raw.output), cacheRead: tokenCount(raw.cacheRead), cacheWrite: tokenCount(raw.cacheWrite) };
  // `cost.total` in USD; 0 means not priced (pir never fills it in, pi writes 0 for a model without prices), so it is no cost.
  const cost = isJsonObject(raw.cost) ? raw.cost.total : undefined;
  if (typeof cost === 'number' && Number.isFinite(cost) && cost > 0) usage.cost = cost;
  return usage;
}

function userProvenance(text: string): Provenance {
  if (isGasTownBeacon(text)) return 'gastown-beacon';
  if (isGasTownNudge(text)) return 'gastown-nudge';
  return 'conversation';
}

function baseMessage(role: Message['role'], parts: ContentParts, provenance: Provenance, source: EntrySource, timestamp: unknown): Message {
  const message: Message = { role, text: parts.text, reasoning: parts.reasoning, toolCalls: parts.toolCalls, provenance, sourceIds: [source.entryId] };
  const iso = isoTimestamp(timestamp) ?? source.timestamp;
  if (iso != null) message.timestamp = iso;
  if (parts.attachments != null) message.attachments = parts.attachments;
  return message;
}

/** pi's own rendering of a `!cmd` run as user text (TS `bashExecutionToText`). */
function shellText(label: string, output: string, raw: JsonObject): string {
  let text = `Ran \`${label}\`\n${output === '' ? '(no output)' : `\`\`\`\n${output}\n\`\`\``}`;
  const exitCode = raw.exitCode;
  if (raw.cancelled === true) text += '\n\n(command cancelled)';
  else if (typeof exitCode === 'number' && exitCode !== 0) text += `\n\nCommand exited with code ${exitCode}`;
  const fullOutputPath = stringField(raw, 'fullOutputPath');
  if (raw.truncated === true && fullOutputPath != null) text += `\n\n[Output truncated. Full output: ${fullOutputPath}]`;
  return text;
}

function fileMentionText(files: unknown): string {
  if (!Array.isArray(files)) return '';
  return (files as unknown[])
    .filter(isJsonObject)
    .map((file) => {
      const path = stringField(file, 'path') ?? '';
      const content = stringField(file, 'content');
      return content == null ? `@${path}` : `<file path="${path}">\n${content}\n</file>`;
    })
    .join('\n');
}

/**
 * Maps one stored pi/omp `message` object to the canonical Message. Returns undefined (with a
 * counted `unknown-role` warning) for a role no reader knows, so nothing is silently dropped.
 */
export function mapPiMessage(raw: JsonObject, source: EntrySource, warnings: WarningLog): MappedMessage | undefined {
  const role = raw.role;
  switch (role) {
    case 'user': {
      const parts = readContent(raw.content, source, warnings);
      return { message: baseMessage('user', parts, userProvenance(parts.text), source, raw.timestamp) };
    }
    case 'assistant': {
      const parts = readContent(raw.content, source, warnings);
      const message = baseMessage('assistant', parts, 'conversation', source, raw.timestamp);
      const usage = usageOf(raw.usage);
      if (usage != null) message.usage = usage;
      const model = stringField(raw, 'model');
      if (model != null) message.model = model;
      const provider = stringField(raw, 'provider');
      if (provider != null) message.provider = provider;
      const stopReason = stringField(raw, 'stopReason');
      if (stopReason != null) message.stopReason = stopReason;
      const errorMessage = stringField(raw, 'errorMessage');
      if (errorMessage != null) message.errorMessage = errorMessage;
      const responseId = stringField(raw, 'responseId');
      if (responseId != null) message.sourceIds?.push(responseId);
      return responseId == null ? { message } : { message, responseId };
    }
    case 'toolResult': {
      const parts = readContent(raw.content, source, warnings);
      const message = baseMessage('tool', parts, 'conversation', source, raw.timestamp);
      message.toolResult = {
        toolCallId: stringField(raw, 'toolCallId') ?? '',
        toolName: stringField(raw, 'toolName') ?? '',
        isError: raw.isError === true,
        text: parts.text,
      };
      if (raw.details !== undefined) message.metadata = { details: raw.details };
      return { message };
    }
    case 'bashExecution':
    case 'pythonExecution': {
      const isPython = role === 'pythonExecution';
      const label = stringField(raw, isPython ? 'code' : 'command') ?? '';
      const output = stringField(raw, 'output') ?? '';
      const parts = readContent(undefined, source, warnings);
      parts.text = shellText(label, output, raw);
      const message = baseMessage('user', parts, 'user-shell', source, raw.timestamp);
      message.metadata = {
        shell: isPython ? 'python' : 'bash',
        command: label,
        exitCode: raw.exitCode ?? null,
        // `!!cmd` runs are kept for reference but were never shown to the model.
        excludeFromContext: raw.excludeFromContext === true,
      };
      return { message };
    }
    case 'custom':
    case 'hookMessage': {
      const parts = readContent(raw.content, source, warnings);
      const provenance: Provenance = isGasTownNudge(parts.text) ? 'gastown-nudge' : isGasTownBeacon(parts.text) ? 'gastown-beacon' : 'custom';
      const message = baseMessage('user', parts, provenance, source, raw.timestamp);
      message.metadata = { customType: stringField(raw, 'customType') ?? '', display: raw.display === true };
      if (raw.details !== undefined) message.metadata.details = raw.details;
      return { message };
    }
    case 'fileMention': {
      const parts = readContent(undefined, source, warnings);
      parts.text = fileMentionText(raw.files);
      return { message: baseMessage('user', parts, 'file-mention', source, raw.timestamp) };
    }
    case 'developer': {
      const parts = readContent(raw.content, source, warnings);
      return { message: baseMessage('system', parts, 'harness', source, raw.timestamp) };
    }
    case 'compactionSummary':
    case 'branchSummary': {
      const summary = stringField(raw, 'summary') ?? '';
      return { message: summaryMessage(role === 'compactionSummary' ? 'compaction' : 'branch', summary, source) };
    }
    default:
      warnings.addCounted('unknown-role', String(role), `unknown message role ${JSON.stringify(role)} (message skipped)`, source.line);
      return undefined;
  }
}

/** The user-role context message a compaction or branch summary becomes (pi-family.md §2.6). */
export function summaryMessage(kind: 'compaction' | 'branch', summary: string, source: EntrySource): Message {
  const text =
    kind === 'compaction'
      ? `${COMPACTION_SUMMARY_PREFIX}${summary}${COMPACTION_SUMMARY_SUFFIX}`
      : `${BRANCH_SUMMARY_PREFIX}${summary}${BRANCH_SUMMARY_SUFFIX}`;
  const message: Message = {
    role: 'user',
    text,
    reasoning: ABSENT_REASONING,
    toolCalls: NO_TOOL_CALLS,
    provenance: kind === 'compaction' ? 'compaction-summary' : 'branch-summary',
    sourceIds: [source.entryId],
    metadata: { summary },
  };
  if (source.timestamp != null) message.timestamp = source.timestamp;
  return message;
}
