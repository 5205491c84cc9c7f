import { summaryMessage } from '@forge/schema';
import { type ReadFileOptions, type SourceEvent } from './session-source.js';

/**
 * A reader's events in the detail `ReadFileOptions.detail` asks for: with `summary`, every message
 * reduced to a `summaryMessage` (the session events keep the totals the reader took from the whole
 * messages); otherwise the events as they are.
 */
export function withDetail(events: AsyncIterable<SourceEvent>, detail: ReadFileOptions['detail']): AsyncIterable<SourceEvent> {
  return detail === 'summary' ? summaryEvents(events) : events;
}

async function* summaryEvents(events: AsyncIterable<SourceEvent>): AsyncGenerator<SourceEvent> {
  for await (const event of events) yield event.kind === 'message' ? { kind: 'message', sessionId: event.sessionId, message: summaryMessage(event.message) } : event;
}
