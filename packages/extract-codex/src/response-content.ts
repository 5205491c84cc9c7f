import { isGasTownBeacon, isGasTownNudge, isJsonObject, stringField, type JsonObject } from '@forge/reader-kit';
import { type Attachment, type Provenance, type Reasoning, type ToolCall } from '@forge/schema';

/** The text and attachment placeholders of a message's `content` items (codex.md §3.2). */
export interface MessageContent {
  text: string;
  attachments: Attachment[] | undefined;
  /** The `type` values no reader knows, to warn about. */
  unknownTypes: string[];
}

/** `input_text`, `output_text` (and `text`) join with newlines; images become `[image]` placeholders. */
export function messageContent(content: unknown): MessageContent {
  const result: MessageContent = { text: '', attachments: undefined, unknownTypes: [] };
  if (typeof content === 'string') {
    result.text = content;
    return result;
  }
  if (!Array.isArray(content)) return result;
  const texts: string[] = [];
  for (const item of content as unknown[]) {
    if (!isJsonObject(item)) continue;
    switch (item.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        texts.push(stringField(item, 'text') ?? '');
        break;
      case 'input_image':
        texts.push('[image]');
        result.attachments ??= [];
        result.attachments.push({ kind: 'image' });
        break;
      case 'input_file':
        texts.push('[file]');
        result.attachments ??= [];
        result.attachments.push({ kind: 'file', ...(stringField(item, 'filename') == null ? {} : { name: stringField(item, 'filename') }) });
        break;
      default:
        result.unknownTypes.push(String(item.type));
    }
  }
  result.text = texts.join('\n');
  return result;
}

/** Context Codex itself puts into user-role messages, by the tag it starts with (codex.md §3.3). */
const harnessPrefixes: ReadonlyArray<[string, Provenance]> = [
  ['<environment_context>', 'harness'],
  ['<user_instructions>', 'harness'],
  ['# AGENTS.md instructions for ', 'harness'],
  ['<INSTRUCTIONS>', 'harness'],
  ['<skills_instructions>', 'harness'],
  ['<skill>', 'harness'],
  ['<subagent_notification>', 'harness'],
  ['<turn_aborted>', 'interrupted'],
  ['<user_shell_command>', 'user-shell'],
];

/**
 * Where a user-role message came from. 0.16x files say it per content item
 * (`content_item_metadata[].provenance.type`: `user` or `harness`); older files only by the text.
 */
export function userProvenance(text: string, payload: JsonObject): Provenance {
  const passthrough = payload.internal_chat_message_metadata_passthrough;
  const itemMetadata = isJsonObject(passthrough) && Array.isArray(passthrough.content_item_metadata) ? (passthrough.content_item_metadata as unknown[]) : [];
  const kinds = itemMetadata.map((entry) => (isJsonObject(entry) && isJsonObject(entry.provenance) ? entry.provenance.type : undefined));
  const trimmed = text.trimStart();
  const tagged = harnessPrefixes.find(([prefix]) => trimmed.startsWith(prefix));
  if (tagged != null) return tagged[1];
  if (kinds.length > 0 && kinds.every((kind) => kind === 'harness')) return 'harness';
  if (isGasTownBeacon(text)) return 'gastown-beacon';
  if (isGasTownNudge(text)) return 'gastown-nudge';
  return 'conversation';
}

/**
 * A `reasoning` item: the raw `content` text when the provider sent it, else the summary; with
 * neither, the model did reason but only `encrypted_content` (or nothing) was kept: hollow.
 */
export function reasoningOf(payload: JsonObject): Reasoning {
  const texts = (key: string): string[] =>
    Array.isArray(payload[key])
      ? (payload[key] as unknown[]).flatMap((part) => (isJsonObject(part) && typeof part.text === 'string' && part.text !== '' ? [part.text] : []))
      : [];
  const raw = texts('content');
  if (raw.length > 0) return { state: 'present', text: raw.join('\n') };
  const summary = texts('summary');
  if (summary.length > 0) return { state: 'present', text: summary.join('\n') };
  return { state: 'hollow' };
}

/** Response item types that are the model's own output (one response may hold several). */
export const assistantItemTypes: ReadonlySet<string> = new Set([
  'reasoning',
  'function_call',
  'custom_tool_call',
  'local_shell_call',
  'web_search_call',
  'tool_search_call',
  'image_generation_call',
]);

/**
 * The tool call an assistant item stands for, arguments as a JSON string: `function_call` as sent;
 * a freeform `custom_tool_call` (apply_patch) as `{"input": …}`; the other built-in calls as their
 * `action` object.
 */
export function toolCallOf(payload: JsonObject): ToolCall | undefined {
  const id = stringField(payload, 'call_id') ?? stringField(payload, 'id') ?? '';
  switch (payload.type) {
    case 'function_call': {
      const args = payload.arguments;
      return { id, name: stringField(payload, 'name') ?? '', arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) };
    }
    case 'custom_tool_call':
      return { id, name: stringField(payload, 'name') ?? '', arguments: JSON.stringify({ input: stringField(payload, 'input') ?? '' }) };
    case 'local_shell_call':
      return { id, name: 'local_shell', arguments: JSON.stringify(payload.action ?? {}) };
    case 'web_search_call':
      return { id, name: 'web_search', arguments: JSON.stringify(payload.action ?? {}) };
    case 'tool_search_call':
      return { id, name: 'tool_search', arguments: JSON.stringify(payload.arguments ?? payload.action ?? {}) };
    case 'image_generation_call':
      return { id, name: 'image_generation', arguments: JSON.stringify({ prompt: payload.revised_prompt ?? null }) };
    default:
      return undefined;
  }
}

/** Built-in calls whose results the provider keeps (no `*_output` item follows them). */
export const callsWithoutOutput: ReadonlySet<string> = new Set(['web_search', 'image_generation']);

/** A tool output's text and what its payload says about failure. */
export interface ToolOutput {
  text: string;
  /** True / false when the payload or its text says; undefined when nothing does. */
  failed: boolean | undefined;
}

/** `Process exited with code N` (unified exec) or `Exit code: N` (shell), in the header before the output. */
const exitCodePattern = /^(?:Process exited with code|Exit code:) (-?\d+)$/m;

function exitCodeFailure(text: string): boolean | undefined {
  const headerEnd = text.indexOf('\nOutput:');
  const match = exitCodePattern.exec(headerEnd === -1 ? text.slice(0, 400) : text.slice(0, headerEnd));
  if (match != null) return Number(match[1]) !== 0;
  // The shell tool before unified exec answered JSON: {"output": "…", "metadata": {"exit_code": N}}.
  if (text.startsWith('{"output"')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isJsonObject(parsed) && isJsonObject(parsed.metadata) && typeof parsed.metadata.exit_code === 'number') return parsed.metadata.exit_code !== 0;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * A `function_call_output` / `custom_tool_call_output` payload's `output`: a string, content items,
 * or (some versions) `{ content, success }`.
 */
export function toolOutputOf(output: unknown): ToolOutput {
  if (typeof output === 'string') return { text: output, failed: exitCodeFailure(output) };
  if (Array.isArray(output)) {
    const { text } = messageContent(output);
    return { text, failed: exitCodeFailure(text) };
  }
  if (isJsonObject(output)) {
    const inner = toolOutputOf(output.content ?? output.output ?? '');
    if (typeof output.success === 'boolean') return { text: inner.text, failed: !output.success };
    return inner;
  }
  return { text: '', failed: undefined };
}
