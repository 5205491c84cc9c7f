import { type ScoringMessage, type ScoringView } from './scoring-view.js';
import { splitShellCommands, type Argv } from './shell-commands.js';

/** The harness metadata of a tool result that scoring reads (Claude Code's `toolUseResult`: see `editMetadataView`). */
export interface ToolResultMetadata {
  toolUseResult?: unknown;
}

/** A tool call with its result, as the session holds them. */
export interface ToolUse {
  /** Index of the assistant message holding the call. */
  index: number;
  callId: string;
  name: string;
  /** The parsed arguments; undefined when they are not a JSON object. */
  args: Record<string, unknown> | undefined;
  argumentsText: string;
  /** The call's place among all calls, from 0. */
  order: number;
  result?: { index: number; isError: boolean; text: string; metadata?: ToolResultMetadata };
}

/** Every tool call of a session in order, each paired with its result by call id. */
export function collectToolUses(session: ScoringView): ToolUse[] {
  const uses: ToolUse[] = [];
  const byId = new Map<string, ToolUse>();
  session.messages.forEach((message, index) => {
    for (const call of message.toolCalls ?? []) {
      const use: ToolUse = { index, callId: call.id, name: call.name, args: parseArguments(call.arguments), argumentsText: call.arguments, order: uses.length };
      uses.push(use);
      if (!byId.has(call.id)) byId.set(call.id, use);
    }
    const result = message.toolResult;
    if (result != null) {
      const use = byId.get(result.toolCallId);
      if (use != null && use.result == null) {
        use.result = { index, isError: result.isError, text: result.text };
        if (message.metadata != null) use.result.metadata = message.metadata;
      }
    }
  });
  return uses;
}

function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value != null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const shellTools = new Set(['bash', 'shell', 'exec_command', 'run_shell_command', 'execute_command', 'terminal', 'run_terminal_cmd', 'local_shell']);

/** The command line of a shell tool call (Claude `Bash`, pi `bash`, Codex `shell` argv arrays), else undefined. */
export function shellCommandOf(use: ToolUse): string | undefined {
  if (!shellTools.has(use.name.toLowerCase())) return undefined;
  const command = use.args?.command ?? use.args?.cmd;
  if (typeof command === 'string') return command;
  if (Array.isArray(command) && command.every((part) => typeof part === 'string')) {
    const parts = command;
    // ["bash", "-lc", "<script>"] runs the script; anything else is one argv.
    if (parts.length === 3 && /(^|\/)(ba|z)?sh$/u.test(parts[0]!) && parts[1]!.startsWith('-')) return parts[2];
    return parts.map((part) => (/^[\w./@:=+-]+$/u.test(part) ? part : `'${part.replaceAll("'", `'\\''`)}'`)).join(' ');
  }
  return undefined;
}

const parsedCommands = new WeakMap<ToolUse, Argv[]>();

/**
 * The simple commands of a shell tool call ({@link splitShellCommands} of {@link shellCommandOf}),
 * parsed once per call however many readers ask (linking, context, validation); else undefined.
 */
export function shellCommandsOf(use: ToolUse): readonly Argv[] | undefined {
  let commands = parsedCommands.get(use);
  if (commands == null) {
    const command = shellCommandOf(use);
    if (command == null) return undefined;
    commands = splitShellCommands(command);
    parsedCommands.set(use, commands);
  }
  return commands;
}

/** The time of a message in ms: its own timestamp, else the nearest earlier one, else the session start. */
export function messageTimes(session: ScoringView): number[] {
  const times: number[] = [];
  let last = Date.parse(session.startedAt);
  for (const message of session.messages) {
    const own = message.timestamp == null ? Number.NaN : Date.parse(message.timestamp);
    if (!Number.isNaN(own)) last = own;
    times.push(last);
  }
  return times;
}

/** The text of a message for scanning: its text and its tool calls' arguments. */
export function scannableText(message: ScoringMessage): string {
  const calls = message.toolCalls ?? [];
  if (calls.length === 0) return message.text;
  return [message.text, ...calls.map((call) => call.arguments)].join('\n');
}
