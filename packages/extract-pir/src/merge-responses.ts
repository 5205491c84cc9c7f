import { type Message, type Usage } from '@forge/schema';

/** An assistant response being gathered from its entries, with the tool results that answer it. */
interface OpenResponse {
  message: Message;
  responseId: string;
  usages: Usage[];
  results: Message[];
}

/**
 * One assistant message per provider response. omp files imported from Claude Code (`omp
 * --from-claude`) keep one assistant entry per Claude content block, all with the response's
 * `responseId`: they are merged as the Claude Code reader merges a response's lines (texts and
 * reasoning joined, tool calls in order, the usage of the entry with the largest total, never a
 * sum), and the tool results that came between them follow the merged message. Everything else
 * passes through in order; a response is held only until the next message that is not part of it.
 */
export class ResponseMerger {
  #open: OpenResponse | undefined;

  /** Adds a message; appends the messages now final to `ready`, in order. */
  push(message: Message, ready: Message[]): void {
    const responseId = message.role === 'assistant' ? message.sourceIds?.[1] : undefined;
    const open = this.#open;
    if (open != null) {
      if (responseId != null && responseId === open.responseId) {
        merge(open, message);
        return;
      }
      const callId = message.role === 'tool' ? message.toolResult?.toolCallId : undefined;
      if (callId != null && open.message.toolCalls.some((call) => call.id === callId)) {
        open.results.push(message);
        return;
      }
    }
    this.finish(ready);
    if (responseId == null) ready.push(message);
    else this.#open = { message, responseId, usages: message.usage == null ? [] : [message.usage], results: [] };
  }

  /** Appends what is still held to `ready`, in order. */
  finish(ready: Message[]): void {
    const open = this.#open;
    if (open == null) return;
    this.#open = undefined;
    // One entry (the usual case) keeps its usage object as it is.
    if (open.usages.length > 1) open.message.usage = largestUsage(open.usages);
    ready.push(open.message);
    for (const result of open.results) ready.push(result);
  }
}

function merge(open: OpenResponse, next: Message): void {
  const merged = open.message;
  merged.text = [merged.text, next.text].filter((text) => text !== '').join('\n');
  const thoughts = [merged.reasoning, next.reasoning].flatMap((reasoning) => (reasoning.state === 'present' && reasoning.text != null ? [reasoning.text] : []));
  if (thoughts.length > 0) merged.reasoning = { state: 'present', text: thoughts.join('\n') };
  else if (merged.reasoning.state === 'hollow' || next.reasoning.state === 'hollow') merged.reasoning = { state: 'hollow' };
  if (next.toolCalls.length > 0) merged.toolCalls = [...merged.toolCalls, ...next.toolCalls];
  if (next.attachments != null) merged.attachments = [...(merged.attachments ?? []), ...next.attachments];
  // Entry ids first (one per merged entry), the response id last.
  const ids = merged.sourceIds ?? [];
  merged.sourceIds = [...ids.slice(0, -1), ...(next.sourceIds ?? []).slice(0, -1), open.responseId];
  if (next.usage != null) open.usages.push(next.usage);
  if (next.stopReason != null) merged.stopReason = next.stopReason;
  if (next.errorMessage != null) merged.errorMessage = next.errorMessage;
}

/** The usage of the entry with the largest token total, the later one on ties (a response's final count). */
function largestUsage(usages: readonly Usage[]): Usage {
  let best = usages[0] as Usage;
  let bestTotal = -1;
  for (const usage of usages) {
    const total = usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
    if (total >= bestTotal) {
      best = usage;
      bestTotal = total;
    }
  }
  return best;
}
