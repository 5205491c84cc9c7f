// The part of pi's and omp's extension API these extensions use, written structurally so the
// same code loads into both programs without importing either (they are large, and pir's PiJS
// runtime has the same shape). Payloads as pi 0.73.1 (`docs/extensions.md`) and omp 18.2.3
// (`src/extensibility/extensions/types.ts`, `shared-events.ts`) send them; every field is read
// defensively because a harness may leave one out.

/** `tool_call`: before a tool runs. */
export interface ToolCallEvent {
  toolCallId: string;
  toolName: string;
  /** The call's arguments object. Never written anywhere by these extensions: only its keys. */
  input?: unknown;
}

/** A text or image block of a tool result. */
export interface ResultContentBlock {
  type: string;
  text?: string;
}

/** `tool_result`: after a tool ran. */
export interface ToolResultEvent extends ToolCallEvent {
  content?: ResultContentBlock[];
  isError?: boolean;
}

/** `turn_start`. */
export interface TurnStartEvent {
  turnIndex?: number;
}

/** `turn_end`: one model answer and the results of its tool calls. */
export interface TurnEndEvent {
  turnIndex?: number;
  message?: { role?: string; stopReason?: string };
  toolResults?: Array<{ toolCallId?: string; isError?: boolean }>;
}

/** The handler shapes; a handler returning nothing leaves the harness's behaviour unchanged. */
export interface ExtensionEvents {
  agent_start: object;
  agent_end: object;
  turn_start: TurnStartEvent;
  turn_end: TurnEndEvent;
  tool_call: ToolCallEvent;
  tool_result: ToolResultEvent;
}

/** `pi` as the extension factory receives it: event subscription and `appendEntry` (a `custom` session entry). */
export interface PiExtensionApi {
  on<TEvent extends keyof ExtensionEvents>(event: TEvent, handler: (payload: ExtensionEvents[TEvent]) => void): void;
  appendEntry(customType: string, data?: unknown): void;
}

/** Where a handler's own failure goes; it never reaches the harness, so the agent run goes on. */
export type ExtensionErrorHandler = (error: unknown, event: keyof ExtensionEvents) => void;

/** Subscribes `handler` so that its failures go to `onError` instead of the harness. */
export function onSafely<TEvent extends keyof ExtensionEvents>(
  pi: PiExtensionApi,
  event: TEvent,
  onError: ExtensionErrorHandler,
  handler: (payload: ExtensionEvents[TEvent]) => void,
): void {
  pi.on(event, (payload) => {
    try {
      handler(payload);
    } catch (error) {
      onError(error, event);
    }
  });
}
