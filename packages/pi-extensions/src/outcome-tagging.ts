import type { BeadOperation, ForgeBeadsEntry, forgeEntryTypes } from '@forge/schema';
import { findBeadCalls, settleBeadCall, type BeadCall } from './bead-commands.js';
import { onSafely, type ExtensionErrorHandler, type PiExtensionApi, type ResultContentBlock } from './pi-extension-api.js';

// Type-checked against @forge/schema, not imported as a value (keeps zod out of the bundle).
const beadsEntryType: typeof forgeEntryTypes.beads = 'forge.outcome.beads';

/** Options of {@link registerOutcomeTagging}. */
export interface OutcomeTaggingOptions {
  /** Where a failure of the tagging itself goes (the extension entry prints it to stderr). */
  onError?: ExtensionErrorHandler;
}

interface PendingCall {
  calls: BeadCall[];
  operations?: BeadOperation[];
}

/**
 * outcome-tagging: at every `agent_end`, one `forge.outcome.beads` entry with the beads the run
 * closed or updated, from its bash tool calls that ran `bd close|update|reopen|create` (or
 * `gt close`) and their results. Written even when there were none, so "closed nothing" is evidence
 * too. Commands are parsed, never run.
 */
export function registerOutcomeTagging(pi: PiExtensionApi, options: OutcomeTaggingOptions = {}): void {
  const onError = options.onError ?? (() => undefined);
  let pending = new Map<string, PendingCall>();

  onSafely(pi, 'tool_call', onError, (event) => {
    const command = bashCommandOf(event.toolName, event.input);
    if (command == null) return;
    const calls = findBeadCalls(command);
    if (calls.length > 0) pending.set(event.toolCallId, { calls });
  });
  onSafely(pi, 'tool_result', onError, (event) => {
    const call = pending.get(event.toolCallId);
    if (call == null) return;
    const text = textOf(event.content);
    call.operations = call.calls.map((beadCall) => settleBeadCall(beadCall, event.toolCallId, text, event.isError === true));
  });
  onSafely(pi, 'agent_end', onError, () => {
    const operations = [...pending.entries()].flatMap(
      ([toolCallId, call]) => call.operations ?? call.calls.map((beadCall) => settleBeadCall(beadCall, toolCallId, '', null)),
    );
    pending = new Map();
    pi.appendEntry(beadsEntryType, summarizeBeadOperations(operations));
  });
}

/**
 * The closed and updated beads of a run's operations, each by its last successful operation and in
 * that order; failed calls (`isError` true or no result) are listed in `operations` only.
 */
export function summarizeBeadOperations(operations: BeadOperation[]): ForgeBeadsEntry {
  const lastSuccess = new Map<string, BeadOperation['command']>();
  for (const operation of operations) {
    if (operation.isError !== false) continue;
    for (const id of operation.beadIds) {
      lastSuccess.delete(id);
      lastSuccess.set(id, operation.command);
    }
  }
  const closed = [...lastSuccess].filter(([, command]) => command === 'close').map(([id]) => id);
  const updated = [...lastSuccess].filter(([, command]) => command !== 'close').map(([id]) => id);
  return { v: 1, closed, updated, operations };
}

/** The command of a bash tool call (pi, omp and pir name the tool `bash`). */
function bashCommandOf(toolName: string, input: unknown): string | undefined {
  if (toolName.toLowerCase() !== 'bash' || typeof input !== 'object' || input == null) return undefined;
  const command = (input as { command?: unknown }).command;
  return typeof command === 'string' ? command : undefined;
}

function textOf(content: ResultContentBlock[] | undefined): string {
  return (content ?? []).flatMap((block) => (typeof block.text === 'string' ? [block.text] : [])).join('\n');
}
