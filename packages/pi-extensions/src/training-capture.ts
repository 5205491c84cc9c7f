import type { CapturedToolCall, ForgeAgentEntry, forgeEntryTypes, ForgeTurnEntry } from '@forge/schema';
import { onSafely, type ExtensionErrorHandler, type PiExtensionApi, type ToolCallEvent } from './pi-extension-api.js';

// The entry types of @forge/schema's `forgeEntryTypes`, type-checked against it but not imported
// as values: the bundle loaded into pi stays free of zod.
const turnEntryType: typeof forgeEntryTypes.turn = 'forge.capture.turn';
const agentEntryType: typeof forgeEntryTypes.agent = 'forge.capture.agent';

/** Options of {@link registerTrainingCapture}. */
export interface TrainingCaptureOptions {
  /** Monotonic milliseconds; default `performance.now()`. */
  now?: () => number;
  /** Where a failure of the capture itself goes (the extension entry prints it to stderr). */
  onError?: ExtensionErrorHandler;
}

interface OpenCall extends CapturedToolCall {
  startedAt: number;
}

/**
 * training-capture: records each tool call's name, argument keys, error flag and duration, and
 * each turn's and run's duration, into the session itself: one `forge.capture.turn` entry per
 * `turn_end` and one `forge.capture.agent` entry per `agent_end` (`pi.appendEntry`). Argument
 * values are never recorded, and nothing is run: no shell, no child process, no file.
 */
export function registerTrainingCapture(pi: PiExtensionApi, options: TrainingCaptureOptions = {}): void {
  const now = options.now ?? (() => performance.now());
  const onError = options.onError ?? (() => undefined);
  let agentStartedAt: number | undefined;
  let turnStartedAt: number | undefined;
  let calls = new Map<string, OpenCall>();
  let totals = { turns: 0, toolCalls: 0, toolErrors: 0 };

  const openCall = (event: ToolCallEvent): OpenCall => {
    const call: OpenCall = { toolCallId: event.toolCallId, toolName: event.toolName, argumentKeys: argumentKeysOf(event.input), isError: null, durationMs: null, startedAt: now() };
    calls.set(event.toolCallId, call);
    return call;
  };
  const closeTurn = (): CapturedToolCall[] => {
    const tools = [...calls.values()].map(({ startedAt: _startedAt, ...call }) => call);
    calls = new Map();
    totals.turns += 1;
    totals.toolCalls += tools.length;
    totals.toolErrors += tools.filter((call) => call.isError === true).length;
    return tools;
  };

  onSafely(pi, 'agent_start', onError, () => {
    agentStartedAt = now();
    totals = { turns: 0, toolCalls: 0, toolErrors: 0 };
  });
  onSafely(pi, 'turn_start', onError, () => {
    turnStartedAt = now();
  });
  onSafely(pi, 'tool_call', onError, (event) => {
    openCall(event);
  });
  onSafely(pi, 'tool_result', onError, (event) => {
    const call = calls.get(event.toolCallId) ?? openCall(event);
    call.isError = event.isError === true;
    call.durationMs = elapsed(now, call.startedAt);
  });
  onSafely(pi, 'turn_end', onError, (event) => {
    // A call another extension blocked gets no tool_result event, but the turn still lists its result.
    for (const result of event.toolResults ?? []) {
      const call = result.toolCallId == null ? undefined : calls.get(result.toolCallId);
      if (call != null && call.isError == null && typeof result.isError === 'boolean') call.isError = result.isError;
    }
    const entry: ForgeTurnEntry = {
      v: 1,
      turnIndex: Number.isInteger(event.turnIndex) && event.turnIndex! >= 0 ? event.turnIndex! : totals.turns,
      durationMs: turnStartedAt == null ? null : elapsed(now, turnStartedAt),
      ...(typeof event.message?.stopReason === 'string' ? { stopReason: event.message.stopReason } : {}),
      tools: closeTurn(),
    };
    turnStartedAt = undefined;
    pi.appendEntry(turnEntryType, entry);
  });
  onSafely(pi, 'agent_end', onError, () => {
    // Calls of a turn that never ended (an aborted run) still count.
    if (calls.size > 0) {
      pi.appendEntry(turnEntryType, { v: 1, turnIndex: totals.turns, durationMs: null, tools: closeTurn() } satisfies ForgeTurnEntry);
    }
    const entry: ForgeAgentEntry = { v: 1, durationMs: agentStartedAt == null ? null : elapsed(now, agentStartedAt), ...totals };
    agentStartedAt = undefined;
    pi.appendEntry(agentEntryType, entry);
  });
}

/** Whole milliseconds since `startedAt`. */
function elapsed(now: () => number, startedAt: number): number {
  return Math.max(0, Math.round(now() - startedAt));
}

/** The names of a tool call's arguments, in the model's order; [] when the arguments are not an object. */
function argumentKeysOf(input: unknown): string[] {
  return typeof input === 'object' && input != null && !Array.isArray(input) ? Object.keys(input) : [];
}
