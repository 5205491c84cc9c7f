import { isGasTownBeacon, isGasTownNudge, isJsonObject, stringField, tokenCount, toolResultMessage, type JsonObject, type WarningLog } from '@forge/reader-kit';
import { type Attachment, type Message, type Provenance, type Reasoning, type Usage } from '@forge/schema';

/** The text and attachment placeholders of a `PartListUnion` (a string, a Part, or Parts). */
interface PartsContent {
  text: string;
  thoughts: string[];
  attachments: Attachment[] | undefined;
  functionCalls: JsonObject[];
  functionResponses: JsonObject[];
}

const asParts = (content: unknown): unknown[] => (Array.isArray(content) ? (content as unknown[]) : content == null ? [] : [content]);

/** Reads Gemini `Part`s (gemini-cli.md §3): text, thought text, inline/file data, function calls and responses. */
export function partsContent(content: unknown): PartsContent {
  const result: PartsContent = { text: '', thoughts: [], attachments: undefined, functionCalls: [], functionResponses: [] };
  const texts: string[] = [];
  for (const part of asParts(content)) {
    if (typeof part === 'string') {
      texts.push(part);
      continue;
    }
    if (!isJsonObject(part)) continue;
    if (typeof part.text === 'string') {
      if (part.thought === true) result.thoughts.push(part.text);
      else texts.push(part.text);
    } else if (isJsonObject(part.inlineData) || isJsonObject(part.fileData)) {
      const data = (part.inlineData ?? part.fileData) as JsonObject;
      const mimeType = stringField(data, 'mimeType');
      const kind: Attachment['kind'] = mimeType?.startsWith('image/') === true ? 'image' : 'file';
      texts.push(`[${kind}${mimeType == null ? '' : `: ${mimeType}`}]`);
      result.attachments ??= [];
      result.attachments.push(mimeType == null ? { kind } : { kind, mimeType });
    } else if (isJsonObject(part.functionCall)) {
      result.functionCalls.push(part.functionCall);
    } else if (isJsonObject(part.functionResponse)) {
      result.functionResponses.push(part.functionResponse);
    }
  }
  result.text = texts.join('\n');
  return result;
}

function userProvenance(text: string): Provenance {
  // Gemini CLI's start-up context (date, OS, folder tree): the harness, not the user.
  if (text.trimStart().startsWith('<session_context>')) return 'harness';
  if (isGasTownBeacon(text)) return 'gastown-beacon';
  if (isGasTownNudge(text)) return 'gastown-nudge';
  return 'conversation';
}

/**
 * `TokensSummary` (`input` = promptTokenCount, which includes `cached`; `output` =
 * candidatesTokenCount; `thoughts`; `tool` = toolUsePromptTokenCount) in forge's names: input is
 * the uncached prompt plus tool-use prompt, output includes thought tokens (gemini-cli.md §4).
 */
export function usageFromTokens(tokens: unknown): Usage | undefined {
  if (!isJsonObject(tokens)) return undefined;
  const cacheRead = tokenCount(tokens.cached);
  return {
    input: Math.max(0, tokenCount(tokens.input) - cacheRead) + tokenCount(tokens.tool),
    output: tokenCount(tokens.output) + tokenCount(tokens.thoughts),
    cacheRead,
    cacheWrite: 0,
  };
}

/** A recorded thought (`{subject, description}`, parsed from `**Subject** description`) as text again. */
function thoughtText(thought: unknown): string {
  if (!isJsonObject(thought)) return '';
  const subject = stringField(thought, 'subject') ?? '';
  const description = stringField(thought, 'description') ?? '';
  if (subject === '') return description;
  return description === '' ? `**${subject}**` : `**${subject}**\n\n${description}`;
}

function reasoningOf(thoughts: string[], thoughtTokens: number): Reasoning {
  const text = thoughts.filter((thought) => thought !== '').join('\n\n');
  if (text !== '') return { state: 'present', text };
  // Thought tokens were billed but no summary was kept.
  return thoughtTokens > 0 ? { state: 'hollow' } : { state: 'absent' };
}

/** `Exit Code: N` is how the shell tool tells the model a command failed (its own `isError`). */
const shellExitCode = /^Exit Code: (-?\d+)$/mu;

/** A tool call's `result` (function response parts) as text, and whether it failed. */
function toolResultOf(call: JsonObject): { text: string; isError: boolean } {
  const status = stringField(call, 'status');
  const { text, functionResponses } = partsContent(call.result);
  const texts = text === '' ? [] : [text];
  let responseError = false;
  for (const functionResponse of functionResponses) {
    const response = functionResponse.response;
    if (!isJsonObject(response)) continue;
    if (response.error != null) responseError = true;
    const output = response.output ?? response.error ?? response.content;
    texts.push(typeof output === 'string' ? output : JSON.stringify(response));
  }
  const joined = texts.join('\n');
  const exit = shellExitCode.exec(joined);
  const failed = status === 'error' || status === 'cancelled' || responseError || (exit != null && Number(exit[1]) !== 0);
  return { text: joined, isError: failed };
}

/** Where a record sits in the file, for warnings and `sourceIds`. */
export interface RecordSource {
  id: string;
  line: number;
}

/**
 * One stored message record as canonical messages: a user prompt; a Gemini answer followed by one
 * tool message per finished call; a UI notice (`info`, `warning`, `error`) as a system message. A
 * user record holding only function responses repeats the calls' results and yields nothing.
 */
export function mapGeminiRecord(record: JsonObject, source: RecordSource, warnings: WarningLog): Message[] {
  const base = (role: Message['role'], text: string, provenance: Provenance): Message => {
    const message: Message = { role, text, reasoning: { state: 'absent' }, toolCalls: [], provenance, sourceIds: [source.id] };
    const timestamp = stringField(record, 'timestamp');
    if (timestamp != null) message.timestamp = timestamp;
    return message;
  };
  const content = partsContent(record.content);
  switch (record.type) {
    case 'user': {
      if (content.text === '' && content.attachments == null && content.functionResponses.length > 0) return [];
      const message = base('user', content.text, userProvenance(content.text));
      if (content.attachments != null) message.attachments = content.attachments;
      return [message];
    }
    case 'gemini': {
      const message = base('assistant', content.text, 'conversation');
      const thoughts = Array.isArray(record.thoughts) ? (record.thoughts as unknown[]).map(thoughtText) : [];
      message.reasoning = reasoningOf([...content.thoughts, ...thoughts], isJsonObject(record.tokens) ? tokenCount(record.tokens.thoughts) : 0);
      const usage = usageFromTokens(record.tokens);
      if (usage != null) message.usage = usage;
      const model = stringField(record, 'model');
      if (model != null) message.model = model;
      if (content.attachments != null) message.attachments = content.attachments;
      const calls = Array.isArray(record.toolCalls) ? (record.toolCalls as unknown[]).filter(isJsonObject) : [];
      const results: Message[] = [];
      for (const call of calls) {
        const id = stringField(call, 'id') ?? '';
        const name = stringField(call, 'name') ?? '';
        message.toolCalls.push({ id, name, arguments: JSON.stringify(call.args ?? {}) });
        if (call.result == null) {
          warnings.addCounted('missing-tool-result', 'call', `tool call ${id} (${name}) has no result (status ${stringField(call, 'status') ?? 'unknown'})`, source.line);
          continue;
        }
        const result = toolResultOf(call);
        const finishedAt = stringField(call, 'timestamp');
        results.push(toolResultMessage({ toolCallId: id, toolName: name, ...result, sourceIds: [source.id], ...(finishedAt == null ? {} : { timestamp: finishedAt }) }));
      }
      return [message, ...results];
    }
    case 'info':
    case 'warning':
    case 'error':
      return [base('system', content.text, record.type === 'error' ? 'api-error' : 'harness')];
    default:
      warnings.addCounted('unknown-role', String(record.type), `unknown message type ${JSON.stringify(record.type)} (skipped)`, source.line);
      return [];
  }
}

/**
 * A saved chat's history (`/chat save`: genai `Content[]`, gemini-cli.md §5): `user` contents
 * with text are prompts, those with function responses are tool results, `model` contents answers.
 */
export function mapCheckpointContent(content: JsonObject, index: number, callNames: Map<string, string>): Message[] {
  const parts = partsContent(content.parts);
  const sourceIds = [`#${index}`];
  if (content.role === 'model') {
    const message: Message = {
      role: 'assistant',
      text: parts.text,
      reasoning: reasoningOf(parts.thoughts, 0),
      toolCalls: parts.functionCalls.map((call, position) => {
        const id = stringField(call, 'id') ?? `${stringField(call, 'name') ?? 'call'}#${index}.${position}`;
        callNames.set(id, stringField(call, 'name') ?? '');
        return { id, name: stringField(call, 'name') ?? '', arguments: JSON.stringify(call.args ?? {}) };
      }),
      provenance: 'conversation',
      sourceIds,
    };
    if (parts.attachments != null) message.attachments = parts.attachments;
    return [message];
  }
  const messages: Message[] = [];
  if (parts.text !== '' || parts.attachments != null) {
    const message: Message = { role: 'user', text: parts.text, reasoning: { state: 'absent' }, toolCalls: [], provenance: userProvenance(parts.text), sourceIds };
    if (parts.attachments != null) message.attachments = parts.attachments;
    messages.push(message);
  }
  for (const response of parts.functionResponses) {
    const id = stringField(response, 'id') ?? '';
    const name = stringField(response, 'name') ?? callNames.get(id) ?? '';
    const result = toolResultOf({ result: [{ functionResponse: response }] });
    messages.push(toolResultMessage({ toolCallId: id, toolName: name, ...result, sourceIds }));
  }
  return messages;
}
