/** Token counts in Anthropic's names; the stub translates them for the OpenAI wire formats. */
export interface TurnUsage {
  /** Uncached input tokens (Anthropic `input_tokens`). */
  input: number;
  /** Output tokens. */
  output: number;
  /** Input tokens read from the prompt cache (`cache_read_input_tokens`). */
  cacheRead: number;
  /** Input tokens written to the prompt cache (`cache_creation_input_tokens`). */
  cacheWrite: number;
}

/** One tool call the stub model asks for. */
export interface ScriptedToolCall {
  /** Tool name exactly as the agent declares it (`Bash`, `read`, `Task`, …). */
  name: string;
  /** Tool arguments. */
  input: Record<string, unknown>;
}

/** The wire protocol a request arrived on. */
export type StubApi = 'anthropic-messages' | 'openai-completions' | 'openai-responses' | 'gemini-generate-content';

/** A model request as the stub saw it, reduced to what scripts usually decide on. */
export interface StubRequest {
  /** HTTP method. */
  method: string;
  /** URL path without the query string (`/v1/messages`). */
  path: string;
  /** Raw query string without `?` (Claude Code sends `beta=true`). */
  query: string;
  /** Protocol, or undefined for requests that are not model calls (`/v1/models`, count_tokens, …). */
  api: StubApi | undefined;
  /** `model` field of the body, when there is one. */
  model: string | undefined;
  /** Whether the client asked for a streamed answer. */
  stream: boolean;
  /** The system prompt flattened to text (Anthropic `system`, OpenAI system/developer messages). */
  systemText: string;
  /** Text of the last user message (tool results excluded). */
  lastUserText: string;
  /** Names of the tools the request declares. */
  toolNames: string[];
  /** `max_tokens` / `max_completion_tokens` / `max_output_tokens`, when given. */
  maxTokens: number | undefined;
  /** Parsed JSON body (undefined for an empty or non-JSON body). */
  body: unknown;
  /** Lower-cased request headers. */
  headers: Record<string, string | string[] | undefined>;
}

/** One answer of the stub model. */
export interface ScriptedTurn {
  /** Visible answer text. */
  text?: string;
  /** Extended-thinking / reasoning text, sent before the text. */
  thinking?: string;
  /** Tool calls, sent after the text; each gets a fresh id (`toolu_…` / `call_…`). */
  toolCalls?: ScriptedToolCall[];
  /** Usage reported for this answer, in Anthropic names. */
  usage: TurnUsage;
  /** Stop reason in Anthropic terms; default `tool_use` when there are tool calls, else `end_turn`. */
  stopReason?: string;
  /**
   * Serve this turn only to a request it accepts. The stub serves the first unserved turn
   * whose `match` accepts the request (turns without `match` accept any main request), so a
   * turn meant for a subagent can be pinned to it (e.g. `(request) => request.systemText.includes('…')`).
   */
  match?: (request: StubRequest) => boolean;
  /** A label carried into `served` (e.g. `'subagent'`), for tests and expected counts. */
  label?: string;
}

/** A record of one model answer the stub sent. */
export interface ServedResponse {
  /** 0-based position among all served model answers. */
  index: number;
  /** Position in the main script, or undefined for side answers and the fallback `done` turn. */
  scriptIndex: number | undefined;
  /** True when the request was classified as a side request (title, quota, Warmup, …). */
  side: boolean;
  /** True when the main script was exhausted and the stub answered its `done` turn. */
  fallback: boolean;
  /** Protocol the answer used. */
  api: StubApi;
  /** Model named in the request. */
  model: string | undefined;
  /** Whether the answer was streamed. */
  stream: boolean;
  /** Message id sent (`msg_…`, `chatcmpl-…`, `resp_…`). */
  messageId: string;
  /** The turn that was served. */
  turn: ScriptedTurn;
  /** Tool call ids sent, in the order of `turn.toolCalls`. */
  toolCallIds: string[];
  /** Stop reason sent, in the protocol's own vocabulary. */
  stopReason: string;
  /**
   * Usage as a client should understand the wire numbers, in Anthropic names. Equal to
   * `turn.usage` on the Anthropic API; on the OpenAI APIs there is no cache-write field, so the
   * stub sends `prompt_tokens = input + cacheRead + cacheWrite`, `cached_tokens = cacheRead` and
   * records `{ input: input + cacheWrite, cacheRead, cacheWrite: 0 }` here.
   */
  usage: TurnUsage;
  /** The raw usage object put on the wire. */
  wireUsage: Record<string, unknown>;
  /** The index of this request in `requests`. */
  requestIndex: number;
}

/** Every HTTP request the stub received. */
export interface RecordedRequest extends StubRequest {
  /** 0-based arrival order. */
  index: number;
  /** True when the request was answered from the side responder. */
  side: boolean;
  /** Index into `served` when the request got a model answer. */
  servedIndex: number | undefined;
}
