import { type BeadOperation, type GasTownContext, type Message, type Session } from '@forge/schema';
import { editMetadataView } from './agent-edits.js';
import { reasoningView } from './signals/thinking-signal.js';
import { textView } from './text-view.js';
import { type ToolResultMetadata } from './tool-uses.js';

/**
 * One message as scoring reads it: the fields linking and the signals read, nothing else. A
 * `Message` is one; {@link scoringView} keeps texts only as far as a reader needs them.
 */
export interface ScoringMessage {
  role: Message['role'];
  provenance: Message['provenance'];
  text: string;
  /** Absent in a view when the message has none (state `absent`, no text). */
  reasoning?: { state: Message['reasoning']['state']; text?: string };
  /** Absent in a view when the message makes none. */
  toolCalls?: readonly { id: string; name: string; arguments: string }[];
  toolResult?: { toolCallId: string; isError: boolean; text: string };
  /** Claude Code's `toolUseResult` (the edit's structured patch, a write's original file). */
  metadata?: ToolResultMetadata;
  timestamp?: string;
  /** Link evidence names the first. */
  sourceIds?: readonly string[];
  stopReason?: string;
  errorMessage?: string;
}

/**
 * What linking and scoring read of a session: the type {@link linkSession} and
 * {@link scoreSession} take. A `Session` is one; {@link scoringView} makes a small one, plain JSON
 * data that scores exactly as its session does (a run hands it across threads and spills it to disk).
 */
export interface ScoringView {
  id: string;
  source: Session['source'];
  /** The first is the session's file (evidence points there). */
  files: readonly string[];
  cwd: string;
  gitBranch?: string;
  startedAt: string;
  endedAt: string;
  gastown?: Pick<GasTownContext, 'role' | 'rig' | 'name'> & { beadIds: readonly string[]; beacon?: { topic: string; beadId?: string } };
  /** forge's outcome-tagging operations and the error flags training-capture recorded. */
  forgeEntries?: {
    turns: readonly { tools: readonly { toolCallId: string; isError: boolean | null }[] }[];
    beads: readonly { line: number; operations: readonly Omit<BeadOperation, 'reason'>[] }[];
  };
  messages: readonly ScoringMessage[];
}

/**
 * The scoring view of a session: what linking and scoring read, and nothing else (a fraction of
 * the session, the smaller the longer its tool outputs and answers: see the package's benchmark).
 * `linkSession` and `scoreSession` give the same result for it as for the session, also after a
 * JSON round trip. Pure; a view of a view is the view.
 */
export function scoringView(session: ScoringView): ScoringView {
  const view: ScoringView = {
    id: session.id,
    source: session.source,
    files: session.files.slice(0, 1),
    cwd: session.cwd,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    messages: session.messages.map(scoringMessageView),
  };
  if (session.gitBranch != null) view.gitBranch = session.gitBranch;
  const gastown = session.gastown;
  if (gastown != null) {
    view.gastown = { role: gastown.role, beadIds: [...gastown.beadIds] };
    if (gastown.rig != null) view.gastown.rig = gastown.rig;
    if (gastown.name != null) view.gastown.name = gastown.name;
    if (gastown.beacon != null) view.gastown.beacon = gastown.beacon.beadId == null ? { topic: gastown.beacon.topic } : { topic: gastown.beacon.topic, beadId: gastown.beacon.beadId };
  }
  const entries = session.forgeEntries;
  if (entries != null) {
    view.forgeEntries = {
      turns: entries.turns.map((turn) => ({ tools: turn.tools.map(({ toolCallId, isError }) => ({ toolCallId, isError })) })),
      beads: entries.beads.map((entry) => ({ line: entry.line, operations: entry.operations.map(operationView) })),
    };
  }
  return view;
}

type OperationView = NonNullable<ScoringView['forgeEntries']>['beads'][number]['operations'][number];

function operationView({ toolCallId, program, command, beadIds, status, isError, confirmed }: OperationView): OperationView {
  return status == null ? { toolCallId, program, command, beadIds: [...beadIds], isError, confirmed } : { toolCallId, program, command, beadIds: [...beadIds], status, isError, confirmed };
}

/** One message of a {@link scoringView}, on its own (a session read in passes builds its view a message at a time). */
export function scoringMessageView(message: ScoringMessage): ScoringMessage {
  const text = textView(message.text);
  const view: ScoringMessage = { role: message.role, provenance: message.provenance, text };
  // Most messages have neither: a view leaves the empty ones out (a spill holds one per message).
  const reasoning = reasoningView(message.reasoning);
  if (reasoning != null) view.reasoning = reasoning;
  const calls = message.toolCalls ?? [];
  if (calls.length > 0) view.toolCalls = calls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args }));
  const result = message.toolResult;
  // A tool message's text is its result's text: shortened once.
  if (result != null) view.toolResult = { toolCallId: result.toolCallId, isError: result.isError, text: result.text === message.text ? text : textView(result.text) };
  const metadata = editMetadataView(message.metadata);
  if (metadata != null) view.metadata = metadata;
  if (message.timestamp != null) view.timestamp = message.timestamp;
  const sourceId = message.sourceIds?.[0];
  if (sourceId != null) view.sourceIds = [sourceId];
  if (message.stopReason != null) view.stopReason = message.stopReason;
  if (message.errorMessage != null) view.errorMessage = message.errorMessage;
  return view;
}
