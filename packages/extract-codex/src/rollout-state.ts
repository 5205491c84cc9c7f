import { detectGasTown, isJsonObject, stringField, toolResultMessage, WarningLog, type JsonObject, type SessionHead } from '@forge/reader-kit';
import { SESSION_SCHEMA_VERSION, addUsage, emptyUsage, type Message, type Reasoning, type ToolCall, type Usage } from '@forge/schema';
import { sameTotals, usageFromCodex } from './codex-usage.js';
import {
  assistantItemTypes,
  callsWithoutOutput,
  messageContent,
  reasoningOf,
  toolCallOf,
  toolOutputOf,
  userProvenance,
} from './response-content.js';

/** The session facts of a rollout's first `session_meta` (or legacy first line). */
interface RolloutMeta {
  id: string;
  timestamp: string | undefined;
  cwd: string;
  cliVersion: string | undefined;
  provider: string | undefined;
  gitBranch: string | undefined;
  forkedFromId: string | undefined;
  subagent: { parentId: string | undefined; role: string | undefined; nickname: string | undefined } | undefined;
}

/** One model response being assembled, and the tool results that answer it. */
interface PendingResponse {
  assistant: Message;
  tools: Message[];
  hasUsage: boolean;
}

/** Top-level rollout line types that carry nothing for a trajectory (codex.md §2). */
const ignoredLineTypes: ReadonlySet<string> = new Set([
  'world_state',
  'security_risk_score',
  'retained_context',
  'realtime_item',
  'inter_agent_communication_metadata',
]);

/** Response items that are harness state, not conversation (codex.md §3.1). */
const ignoredResponseItemTypes: ReadonlySet<string> = new Set(['ghost_snapshot', 'compaction', 'compaction_summary', 'other']);

/** Tool-result items (the answer to a call, by `call_id`). */
const toolOutputTypes: ReadonlySet<string> = new Set(['function_call_output', 'custom_tool_call_output', 'tool_search_output', 'mcp_tool_call_output']);

const subagentOf = (source: unknown, meta: JsonObject): RolloutMeta['subagent'] => {
  if (!isJsonObject(source) || source.subagent == null) return undefined;
  const spawn = isJsonObject(source.subagent) && isJsonObject(source.subagent.thread_spawn) ? source.subagent.thread_spawn : undefined;
  return {
    parentId: (spawn == null ? undefined : stringField(spawn, 'parent_thread_id')) ?? stringField(meta, 'parent_thread_id'),
    // `"review"`, `"compact"`, `{"other": "guardian"}` or a spawned thread's role.
    role: spawn == null ? (typeof source.subagent === 'string' ? source.subagent : isJsonObject(source.subagent) ? stringField(source.subagent, 'other') : undefined) : stringField(spawn, 'agent_role'),
    nickname: spawn == null ? undefined : stringField(spawn, 'agent_nickname'),
  };
};

function metaOf(payload: JsonObject): RolloutMeta | undefined {
  const id = stringField(payload, 'id') ?? stringField(payload, 'session_id');
  if (id == null) return undefined;
  const git = payload.git;
  return {
    id,
    timestamp: stringField(payload, 'timestamp'),
    cwd: stringField(payload, 'cwd') ?? '',
    cliVersion: stringField(payload, 'cli_version'),
    provider: stringField(payload, 'model_provider'),
    gitBranch: isJsonObject(git) ? stringField(git, 'branch') : undefined,
    forkedFromId: stringField(payload, 'forked_from_id'),
    subagent: subagentOf(payload.source, payload),
  };
}

const mergeReasoning = (left: Reasoning, right: Reasoning): Reasoning => {
  if (left.state === 'present' && right.state === 'present') return { state: 'present', text: `${left.text ?? ''}\n${right.text ?? ''}` };
  if (left.state === 'present') return left;
  if (right.state === 'present') return right;
  return left.state === 'hollow' || right.state === 'hollow' ? { state: 'hollow' } : left;
};

/**
 * Folds one rollout's lines, in order, into the canonical messages and the session head
 * (codex.md §4). One model response (reasoning, text, calls) becomes one assistant message; its
 * usage comes from the `token_usage_record` (0.16x) or `token_count` event that follows it. A
 * response is held back, with its tool results, until nothing more can join it, then handed out.
 */
export class CodexRolloutState {
  readonly warnings: WarningLog;
  readonly #path: string;
  #meta: RolloutMeta | undefined;
  #legacy = false;
  #pending: PendingResponse | undefined;
  #model: string | undefined;
  #thinkingLevel: string | undefined;
  readonly #models: string[] = [];
  readonly #thinkingLevels: string[] = [];
  #usage: Usage = emptyUsage();
  #firstUserText: string | undefined;
  #firstTimestamp: string | undefined;
  #lastTimestamp: string | undefined;
  #leafId: string | null = null;
  #sawUsageRecords = false;
  #lastTotals: unknown;
  /** Calls still waiting for their output: id → tool name. */
  readonly #openCalls = new Map<string, string>();
  /** What the harness's events said about a call before its output arrived: id → failed. */
  readonly #callOutcomes = new Map<string, boolean>();

  constructor(path: string) {
    this.#path = path;
    this.warnings = new WarningLog(path);
  }

  /** The session id, once the first line was a session header. */
  get sessionId(): string | undefined {
    return this.#meta?.id;
  }

  /**
   * Reads the first record: a `session_meta` line, or (rollouts before the typed envelope) a bare
   * `{id, timestamp, instructions}` header. Returns false when it is neither.
   */
  start(value: unknown): boolean {
    if (!isJsonObject(value)) return false;
    if (value.type === 'session_meta' && isJsonObject(value.payload)) {
      this.#meta = metaOf(value.payload);
    } else if (value.payload === undefined && value.type === undefined && typeof value.id === 'string') {
      this.#legacy = true;
      this.#meta = metaOf(value);
    }
    if (this.#meta == null) return false;
    this.#see(stringField(value, 'timestamp') ?? this.#meta.timestamp);
    return true;
  }

  /** Adds one later record; messages that are complete go to `out`. */
  add(value: unknown, line: number, out: Message[]): void {
    if (!isJsonObject(value)) {
      this.warnings.add('invalid-record', 'a rollout line that is not a JSON object (skipped)', line);
      return;
    }
    const timestamp = stringField(value, 'timestamp');
    this.#see(timestamp);
    if (this.#legacy) {
      // Before the envelope, each line was a bare response item (or a `record_type: state` marker).
      if (value.record_type !== undefined) return;
      this.#responseItem(value, timestamp, line, out);
      return;
    }
    const payload = value.payload;
    const type = value.type;
    if (typeof type !== 'string' || !isJsonObject(payload)) {
      this.warnings.add('invalid-record', 'a rollout line without `type` and object `payload` (skipped)', line);
      return;
    }
    switch (type) {
      case 'response_item':
        this.#responseItem(payload, timestamp, line, out);
        return;
      case 'event_msg':
        this.#event(payload, line);
        return;
      case 'turn_context':
        this.#turnContext(payload);
        return;
      case 'token_usage_record':
        this.#sawUsageRecords = true;
        this.#attachUsage(usageFromCodex(payload.usage), stringField(payload, 'response_id'));
        return;
      case 'compacted':
        this.#flush(out);
        out.push(this.#compactionSummary(payload, timestamp));
        return;
      case 'session_meta':
        // A legacy fork copies its source's header after its own; the first one names the session.
        return;
      default:
        if (!ignoredLineTypes.has(type) && type !== 'inter_agent_communication') {
          this.warnings.addCounted('unknown-entry-type', type, `unknown rollout line type ${JSON.stringify(type)} (skipped)`, line);
        }
    }
  }

  /** Hands out what is held back and returns the session head. */
  finish(out: Message[]): SessionHead {
    this.#flush(out);
    for (const [callId, name] of this.#openCalls) {
      if (!callsWithoutOutput.has(name)) this.warnings.addCounted('missing-tool-result', 'call', `tool call ${callId} (${name}) has no output in the rollout`);
    }
    const meta = this.#meta as RolloutMeta;
    const startedAt = meta.timestamp ?? this.#firstTimestamp ?? new Date(0).toISOString();
    const head: SessionHead = {
      schemaVersion: SESSION_SCHEMA_VERSION,
      id: meta.id,
      source: 'codex',
      files: [this.#path],
      cwd: meta.cwd,
      startedAt,
      endedAt: this.#lastTimestamp ?? startedAt,
      models: this.#models,
      branch: { leafId: this.#leafId, isActive: true },
      isSubagent: meta.subagent != null,
      usage: this.#usage,
      warnings: this.warnings.list(),
    };
    if (meta.cliVersion != null) head.sourceVersion = meta.cliVersion;
    if (meta.gitBranch != null) head.gitBranch = meta.gitBranch;
    if (this.#thinkingLevels.length > 0) head.thinkingLevels = this.#thinkingLevels;
    const parentId = meta.subagent?.parentId ?? meta.forkedFromId;
    if (parentId != null) head.parent = { sessionId: parentId };
    if (meta.subagent != null) {
      const agent = { ...(meta.subagent.role == null ? {} : { type: meta.subagent.role }), ...(meta.subagent.nickname == null ? {} : { description: meta.subagent.nickname }) };
      if (Object.keys(agent).length > 0) head.agent = agent;
    }
    const gastown = detectGasTown(this.#firstUserText == null ? { cwd: meta.cwd, ...(meta.gitBranch == null ? {} : { gitBranch: meta.gitBranch }) } : { cwd: meta.cwd, firstUserText: this.#firstUserText });
    if (gastown != null) head.gastown = gastown;
    return head;
  }

  #see(timestamp: string | undefined): void {
    if (timestamp == null) return;
    this.#firstTimestamp ??= timestamp;
    this.#lastTimestamp = timestamp;
  }

  #responseItem(payload: JsonObject, timestamp: string | undefined, line: number, out: Message[]): void {
    const type = payload.type;
    const itemId = stringField(payload, 'id') ?? stringField(payload, 'call_id');
    if (type === 'message') {
      const role = payload.role;
      if (role === 'assistant') this.#assistantPart(payload, timestamp, line, out);
      else if (role === 'user' || role === 'developer' || role === 'system') this.#inputMessage(payload, role, timestamp, line, out);
      else this.warnings.addCounted('unknown-role', String(role), `unknown message role ${JSON.stringify(role)} (skipped)`, line);
    } else if (typeof type === 'string' && assistantItemTypes.has(type)) {
      this.#assistantPart(payload, timestamp, line, out);
    } else if (typeof type === 'string' && toolOutputTypes.has(type)) {
      this.#toolOutput(payload, timestamp, line, out);
    } else if (typeof type !== 'string' || !ignoredResponseItemTypes.has(type)) {
      this.warnings.addCounted('unknown-block-type', String(type), `unknown response item type ${JSON.stringify(type)} (skipped)`, line);
      return;
    } else {
      return;
    }
    if (itemId != null) this.#leafId = itemId;
  }

  #inputMessage(payload: JsonObject, role: 'user' | 'developer' | 'system', timestamp: string | undefined, line: number, out: Message[]): void {
    this.#flush(out);
    const content = messageContent(payload.content);
    for (const unknown of content.unknownTypes) this.warnings.addCounted('unknown-block-type', unknown, `unknown content item type ${JSON.stringify(unknown)} (kept out of the text)`, line);
    const provenance = role === 'user' ? userProvenance(content.text, payload) : 'harness';
    const message: Message = {
      role: role === 'user' ? 'user' : 'system',
      text: content.text,
      reasoning: { state: 'absent' },
      toolCalls: [],
      provenance,
    };
    this.#stamp(message, payload, timestamp);
    if (content.attachments != null) message.attachments = content.attachments;
    if (role === 'user' && (provenance === 'conversation' || provenance === 'gastown-beacon')) this.#firstUserText ??= content.text;
    out.push(message);
  }

  #assistantPart(payload: JsonObject, timestamp: string | undefined, line: number, out: Message[]): void {
    // A model item after this response's usage or tool results starts the next response.
    if (this.#pending != null && (this.#pending.hasUsage || this.#pending.tools.length > 0)) this.#flush(out);
    if (this.#pending == null) {
      const assistant: Message = { role: 'assistant', text: '', reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation', sourceIds: [] };
      if (timestamp != null) assistant.timestamp = timestamp;
      if (this.#model != null) assistant.model = this.#model;
      if (this.#meta?.provider != null) assistant.provider = this.#meta.provider;
      if (this.#thinkingLevel != null) assistant.thinkingLevel = this.#thinkingLevel;
      this.#pending = { assistant, tools: [], hasUsage: false };
    }
    const assistant = this.#pending.assistant;
    const id = stringField(payload, 'id');
    if (id != null) assistant.sourceIds?.push(id);
    if (payload.type === 'message') {
      const content = messageContent(payload.content);
      for (const unknown of content.unknownTypes) this.warnings.addCounted('unknown-block-type', unknown, `unknown content item type ${JSON.stringify(unknown)} (kept out of the text)`, line);
      assistant.text = assistant.text === '' ? content.text : `${assistant.text}\n${content.text}`;
      return;
    }
    if (payload.type === 'reasoning') {
      assistant.reasoning = mergeReasoning(assistant.reasoning, reasoningOf(payload));
      return;
    }
    const call = toolCallOf(payload) as ToolCall;
    assistant.toolCalls.push(call);
    this.#openCalls.set(call.id, call.name);
  }

  #toolOutput(payload: JsonObject, timestamp: string | undefined, line: number, out: Message[]): void {
    const callId = stringField(payload, 'call_id') ?? '';
    const toolName = this.#openCalls.get(callId);
    if (toolName == null) {
      this.warnings.addCounted('orphan-tool-result', 'output', `tool output for unknown call ${JSON.stringify(callId)}`, line);
    }
    this.#openCalls.delete(callId);
    const output = toolOutputOf(payload.output);
    const failed = this.#callOutcomes.get(callId) ?? output.failed ?? false;
    this.#callOutcomes.delete(callId);
    const message = toolResultMessage({ toolCallId: callId, toolName: toolName ?? '', isError: failed, text: output.text });
    this.#stamp(message, payload, timestamp);
    if (this.#pending == null) out.push(message);
    else this.#pending.tools.push(message);
  }

  /** Harness events that tell whether a tool call failed (codex.md §3.5); the rest is UI. */
  #event(payload: JsonObject, line: number): void {
    switch (payload.type) {
      case 'token_count': {
        if (this.#sawUsageRecords || !isJsonObject(payload.info)) return;
        const totals = payload.info.total_token_usage;
        if (sameTotals(totals, this.#lastTotals)) return;
        this.#lastTotals = totals;
        this.#attachUsage(usageFromCodex(payload.info.last_token_usage), undefined);
        return;
      }
      case 'item_completed': {
        const item = payload.item;
        if (!isJsonObject(item)) return;
        const id = stringField(item, 'id');
        if (id == null || (item.type !== 'CommandExecution' && item.type !== 'McpToolCall' && item.type !== 'FileChange' && item.type !== 'DynamicToolCall')) return;
        const exitCode = item.exit_code;
        this.#callOutcome(id, item.status === 'failed' || item.status === 'declined' || (typeof exitCode === 'number' && exitCode !== 0));
        return;
      }
      case 'exec_command_end': {
        const id = stringField(payload, 'call_id');
        if (id != null && typeof payload.exit_code === 'number') this.#callOutcome(id, payload.exit_code !== 0);
        return;
      }
      case 'patch_apply_end': {
        const id = stringField(payload, 'call_id');
        if (id != null && typeof payload.success === 'boolean') this.#callOutcome(id, !payload.success);
        return;
      }
      case 'mcp_tool_call_end': {
        const id = stringField(payload, 'call_id');
        const result = payload.result;
        if (id == null || !isJsonObject(result)) return;
        const ok = result.Ok;
        this.#callOutcome(id, result.Err !== undefined || (isJsonObject(ok) && (ok.isError === true || ok.is_error === true)));
        return;
      }
      case 'thread_rolled_back':
        this.warnings.addCounted('other', 'rollback', `the thread was rolled back ${typeof payload.num_turns === 'number' ? payload.num_turns : 'some'} turn(s) here; the rolled-back turns are kept`, line);
        return;
      default:
    }
  }

  #callOutcome(callId: string, failed: boolean): void {
    const held = this.#pending?.tools.find((message) => message.toolResult?.toolCallId === callId);
    if (held?.toolResult != null) held.toolResult.isError = failed;
    else this.#callOutcomes.set(callId, failed);
  }

  #turnContext(payload: JsonObject): void {
    const model = stringField(payload, 'model');
    if (model != null) this.#model = model;
    const mode = payload.collaboration_mode;
    const settings = isJsonObject(mode) && isJsonObject(mode.settings) ? mode.settings : undefined;
    const effort = stringField(payload, 'effort') ?? (settings == null ? undefined : stringField(settings, 'reasoning_effort'));
    this.#thinkingLevel = effort;
    if (this.#meta != null && this.#meta.cwd === '') this.#meta.cwd = stringField(payload, 'cwd') ?? '';
  }

  #attachUsage(usage: Usage | undefined, responseId: string | undefined): void {
    const pending = this.#pending;
    if (usage == null || pending == null || pending.hasUsage) return;
    pending.assistant.usage = usage;
    pending.hasUsage = true;
    if (responseId != null) pending.assistant.sourceIds?.push(responseId);
  }

  #compactionSummary(payload: JsonObject, timestamp: string | undefined): Message {
    const message: Message = {
      role: 'user',
      text: stringField(payload, 'message') ?? '',
      reasoning: { state: 'absent' },
      toolCalls: [],
      provenance: 'compaction-summary',
    };
    if (timestamp != null) message.timestamp = timestamp;
    return message;
  }

  #stamp(message: Message, payload: JsonObject, timestamp: string | undefined): void {
    if (timestamp != null) message.timestamp = timestamp;
    const id = stringField(payload, 'id');
    if (id != null) message.sourceIds = [id];
  }

  /** Hands out the held response: the assistant message, then its tool results. */
  #flush(out: Message[]): void {
    const pending = this.#pending;
    if (pending == null) return;
    this.#pending = undefined;
    const assistant = pending.assistant;
    if (assistant.model != null && !this.#models.includes(assistant.model)) this.#models.push(assistant.model);
    if (assistant.thinkingLevel != null && !this.#thinkingLevels.includes(assistant.thinkingLevel)) this.#thinkingLevels.push(assistant.thinkingLevel);
    if (assistant.usage != null) this.#usage = addUsage(this.#usage, assistant.usage);
    out.push(assistant, ...pending.tools);
  }
}
