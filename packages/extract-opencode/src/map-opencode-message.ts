import { isGasTownBeacon, isGasTownNudge, isJsonObject, stringField, tokenCount, toolResultMessage, type JsonObject, type WarningLog } from '@forge/reader-kit';
import { type Attachment, type Message, type Provenance, type Reasoning, type Usage } from '@forge/schema';

/** A message row's `data` (its `info` without ids) and its parts' `data`, each with its row id. */
export interface StoredMessage {
  id: string;
  /** The row's `time_created` (ms). */
  timeCreated: number;
  info: JsonObject;
  parts: Array<{ id: string; data: JsonObject }>;
}

/** Part types that carry no conversation (step bookkeeping, file snapshots, retries). */
const bookkeepingParts: ReadonlySet<string> = new Set(['step-start', 'step-finish', 'snapshot', 'patch', 'retry', 'agent']);

const iso = (milliseconds: unknown): string | undefined =>
  typeof milliseconds === 'number' && Number.isFinite(milliseconds) ? new Date(milliseconds).toISOString() : undefined;

/**
 * OpenCode's `tokens` (`input` uncached, `output`, `reasoning` counted apart, `cache.read`,
 * `cache.write`) in forge's names; reasoning tokens are billed output (opencode.md §4).
 */
export function usageFromTokens(tokens: unknown): Usage | undefined {
  if (!isJsonObject(tokens)) return undefined;
  const cache = isJsonObject(tokens.cache) ? tokens.cache : {};
  return { input: tokenCount(tokens.input), output: tokenCount(tokens.output) + tokenCount(tokens.reasoning), cacheRead: tokenCount(cache.read), cacheWrite: tokenCount(cache.write) };
}

function fileAttachment(part: JsonObject): { text: string; attachment: Attachment } {
  const mimeType = stringField(part, 'mime');
  const name = stringField(part, 'filename');
  const kind: Attachment['kind'] = mimeType?.startsWith('image/') === true ? 'image' : 'file';
  return {
    text: `[${kind}${name == null ? '' : `: ${name}`}]`,
    attachment: { kind, ...(mimeType == null ? {} : { mimeType }), ...(name == null ? {} : { name }) },
  };
}

function toolResult(state: JsonObject): { text: string; isError: boolean } | undefined {
  const status = stringField(state, 'status');
  if (status === 'error') return { text: stringField(state, 'error') ?? '', isError: true };
  if (status !== 'completed') return undefined;
  const metadata = isJsonObject(state.metadata) ? state.metadata : {};
  // bash reports a non-zero exit as a completed call with `metadata.exit`: the command failed.
  const exit = metadata.exit;
  const output = state.output;
  return { text: typeof output === 'string' ? output : JSON.stringify(output ?? ''), isError: typeof exit === 'number' && exit !== 0 };
}

function userProvenance(text: string, allSynthetic: boolean): Provenance {
  if (allSynthetic) return 'harness';
  if (isGasTownBeacon(text)) return 'gastown-beacon';
  if (isGasTownNudge(text)) return 'gastown-nudge';
  return 'conversation';
}

/**
 * One stored message as canonical messages (opencode.md §3): a user message (its text parts,
 * files as placeholders); an assistant step (reasoning, text, tool calls, usage) followed by one
 * tool message per finished call; a compaction summary (`summary: true`) as user-role context.
 */
export function mapOpencodeMessage(stored: StoredMessage, warnings: WarningLog): Message[] {
  const { info } = stored;
  const timestamp = isJsonObject(info.time) ? iso(info.time.created) : undefined;
  const texts: string[] = [];
  const reasoning: string[] = [];
  let hollow = false;
  const attachments: Attachment[] = [];
  const toolParts: JsonObject[] = [];
  let synthetic = 0;
  let compaction = false;
  for (const { data } of stored.parts) {
    const type = stringField(data, 'type') ?? '';
    switch (type) {
      case 'text':
        if (data.ignored === true) break;
        if (data.synthetic === true) synthetic += 1;
        texts.push(stringField(data, 'text') ?? '');
        break;
      case 'reasoning': {
        const text = stringField(data, 'text') ?? '';
        if (text === '') hollow = true;
        else reasoning.push(text);
        break;
      }
      case 'tool':
        toolParts.push(data);
        break;
      case 'file': {
        const file = fileAttachment(data);
        texts.push(file.text);
        attachments.push(file.attachment);
        break;
      }
      case 'subtask':
        texts.push(stringField(data, 'prompt') ?? '');
        synthetic += 1;
        break;
      case 'compaction':
        compaction = true;
        break;
      default:
        if (!bookkeepingParts.has(type)) warnings.addCounted('unknown-block-type', type, `unknown part type ${JSON.stringify(type)} in message ${stored.id} (kept out of the text)`);
    }
  }
  const text = texts.join('\n');
  const base = (role: Message['role'], provenance: Provenance): Message => {
    const message: Message = { role, text, reasoning: { state: 'absent' }, toolCalls: [], provenance, sourceIds: [stored.id] };
    if (timestamp != null) message.timestamp = timestamp;
    if (attachments.length > 0) message.attachments = attachments;
    return message;
  };
  const role = info.role;
  if (role === 'user') {
    const textParts = texts.length - attachments.length;
    return [base('user', compaction ? 'harness' : userProvenance(text, textParts > 0 && synthetic === textParts))];
  }
  if (role !== 'assistant') {
    warnings.addCounted('unknown-role', String(role), `unknown message role ${JSON.stringify(role)} in message ${stored.id} (skipped)`);
    return [];
  }
  if (info.summary === true) return [base('user', 'compaction-summary')];
  const message = base('assistant', 'conversation');
  const state: Reasoning = reasoning.length > 0 ? { state: 'present', text: reasoning.join('\n') } : hollow ? { state: 'hollow' } : { state: 'absent' };
  message.reasoning = state;
  const usage = usageFromTokens(info.tokens);
  // The message's `cost` in USD; 0 is what OpenCode writes for a model without prices, so it is no cost.
  if (usage != null && typeof info.cost === 'number' && Number.isFinite(info.cost) && info.cost > 0) usage.cost = info.cost;
  if (usage != null) message.usage = usage;
  const model = stringField(info, 'modelID');
  if (model != null) message.model = model;
  const provider = stringField(info, 'providerID');
  if (provider != null) message.provider = provider;
  const finish = stringField(info, 'finish');
  if (finish != null) message.stopReason = finish;
  if (isJsonObject(info.error)) {
    const data = isJsonObject(info.error.data) ? info.error.data : {};
    message.errorMessage = stringField(data, 'message') ?? stringField(info.error, 'name') ?? 'error';
  }
  const results: Message[] = [];
  for (const part of toolParts) {
    const id = stringField(part, 'callID') ?? '';
    const name = stringField(part, 'tool') ?? '';
    const callState = isJsonObject(part.state) ? part.state : {};
    message.toolCalls.push({ id, name, arguments: JSON.stringify(callState.input ?? {}) });
    const result = toolResult(callState);
    if (result == null) {
      warnings.addCounted('missing-tool-result', 'call', `tool call ${id} (${name}) in message ${stored.id} never finished (status ${stringField(callState, 'status') ?? 'unknown'})`);
      continue;
    }
    const finishedAt = isJsonObject(callState.time) ? iso(callState.time.end) : undefined;
    results.push(toolResultMessage({ toolCallId: id, toolName: name, ...result, sourceIds: [stored.id], ...(finishedAt == null ? {} : { timestamp: finishedAt }) }));
  }
  return [message, ...results];
}
