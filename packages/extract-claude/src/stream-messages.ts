import { type Message } from '@forge/schema';
import { addLineMessages, draftKey, finishAssistant, type AssistantDraft } from './build-messages.js';
import { type ConversationLine } from './claude-line.js';
import { type WarningCollector } from './warning-collector.js';

/** Marks a first tool result that is already in the output. */
const placedResult = Symbol('placed');

/**
 * `buildMessages` one line at a time, for trajectories too big to hold: it hands out each message
 * as soon as nothing later can change it or come before it, in exactly the order and shape
 * `buildMessages` gives. What a message still waits for is read from the index lines of the
 * trajectory (response line counts, where each call's first result is), so the only messages held
 * are those of the turn in progress.
 */
export class MessageStream {
  /** Responses whose every line had `stop_reason: null` (see `BuiltMessages`). */
  provisionalResponses = 0;
  private readonly warnings: WarningCollector;
  private readonly warmup: boolean;
  private readonly toolNames = new Map<string, string>();
  /** Open responses by draft key, and how many of their selected lines are still to come. */
  private readonly drafts = new Map<string, AssistantDraft>();
  private readonly linesToCome = new Map<string, number>();
  private readonly draftByMessage = new Map<Message, { draft: AssistantDraft; key: string }>();
  /** tool call id → `order` of the first selected line holding a result for it. */
  private readonly firstResultLine = new Map<unknown, number>();
  /** tool call id → its first result message, until that is placed. */
  private readonly firstResult = new Map<unknown, Message | typeof placedResult>();
  /** Results placed after their call, ahead of where they were created. */
  private readonly pulledForward = new Set<Message>();
  private created: Message[] = [];
  private head = 0;
  private lastOrder = -1;
  /** The output from the last assistant message on: an interruption may still mark that message. */
  private held: Message[] = [];
  private lastAssistant: Message | undefined;
  private ready: Message[] = [];

  /** `lines`: the trajectory's selected lines in file order (index lines suffice). */
  constructor(lines: readonly ConversationLine[], warnings: WarningCollector, options: { warmup?: boolean } = {}) {
    this.warnings = warnings;
    this.warmup = options.warmup === true;
    for (const line of lines) {
      if (line.type === 'assistant') {
        for (const [id, name] of line.index?.toolUses ?? []) this.toolNames.set(id as string, name);
        const key = draftKey(line);
        this.linesToCome.set(key, (this.linesToCome.get(key) ?? 0) + 1);
      } else if (line.type === 'user') {
        for (const id of line.index?.resultCallIds ?? []) if (!this.firstResultLine.has(id)) this.firstResultLine.set(id, line.order);
      }
    }
  }

  /** Adds the next selected line (full, in file order); returns the messages now final. */
  push(line: ConversationLine): Message[] {
    const before = this.created.length;
    addLineMessages(line, this.created, this.drafts, this.toolNames, this.warnings);
    for (let index = before; index < this.created.length; index += 1) {
      const message = this.created[index];
      if (message?.role !== 'tool' || message.toolResult == null) continue;
      if (!this.firstResult.has(message.toolResult.toolCallId)) this.firstResult.set(message.toolResult.toolCallId, message);
    }
    if (line.type === 'assistant') this.lineOfResponse(line);
    this.lastOrder = line.order;
    this.drain(false);
    return this.take();
  }

  /** Ends the trajectory: everything left, in order. */
  finish(): Message[] {
    for (const [key, draft] of this.drafts) this.close(key, draft);
    this.drain(true);
    this.ready.push(...this.held);
    this.held = [];
    this.lastAssistant = undefined;
    return this.take();
  }

  private lineOfResponse(line: ConversationLine): void {
    const key = draftKey(line);
    const draft = this.drafts.get(key);
    if (draft == null) return;
    if (!this.draftByMessage.has(draft.message)) this.draftByMessage.set(draft.message, { draft, key });
    const toCome = (this.linesToCome.get(key) ?? 1) - 1;
    this.linesToCome.set(key, toCome);
    if (toCome <= 0) this.close(key, draft);
  }

  private close(key: string, draft: AssistantDraft): void {
    finishAssistant(draft);
    if (!draft.synthetic && !draft.sawFinalStop && draft.usageCandidates.length > 0) this.provisionalResponses += 1;
    this.drafts.delete(key);
    this.linesToCome.delete(key);
  }

  /** `orderToolResults` over the created messages, as far as they are final. */
  private drain(final: boolean): void {
    while (this.head < this.created.length) {
      const message = this.created[this.head] as Message;
      if (!final && message.role === 'assistant' && !this.isFinal(message)) break;
      this.head += 1;
      this.place(message);
    }
    // Drop the consumed prefix now and then, so the array does not grow with the trajectory.
    if (this.head > 1024 && this.head * 2 > this.created.length) {
      this.created = this.created.slice(this.head);
      this.head = 0;
    }
  }

  private isFinal(message: Message): boolean {
    const entry = this.draftByMessage.get(message);
    if (entry != null && this.drafts.get(entry.key) === entry.draft) return false;
    for (const call of message.toolCalls) {
      const resultLine = this.firstResultLine.get(call.id);
      if (resultLine != null && resultLine > this.lastOrder) return false;
    }
    return true;
  }

  private place(message: Message): void {
    this.draftByMessage.delete(message);
    if (message.role === 'tool') {
      if (this.pulledForward.delete(message)) return;
      const callId = message.toolResult?.toolCallId ?? '';
      if (this.firstResult.get(callId) !== message) {
        this.warnings.count('duplicate', 'tool results repeat an earlier result for the same call; later copies dropped', 'tool-result');
        return;
      }
      this.warnings.count('orphan-tool-result', 'tool results with no matching tool call in the trajectory', '');
      this.firstResult.set(callId, placedResult);
      this.output(message);
      return;
    }
    this.output(message);
    if (message.role !== 'assistant') return;
    for (const call of message.toolCalls) {
      const result = this.firstResult.get(call.id);
      if (result == null) {
        this.warnings.count('missing-tool-result', 'tool calls with no tool result in the trajectory (interrupted or cut off)', '');
        continue;
      }
      if (result === placedResult) continue;
      this.firstResult.set(call.id, placedResult);
      this.pulledForward.add(result);
      this.output(result);
    }
  }

  /** `markInterruptions` and the warmup provenance, on the ordered output. */
  private output(message: Message): void {
    if (message.role === 'assistant') {
      this.ready.push(...this.held);
      this.held = [message];
      this.lastAssistant = message;
    } else if (message.provenance === 'interrupted' && this.lastAssistant != null) {
      this.lastAssistant.metadata = { ...this.lastAssistant.metadata, interrupted: true };
      this.lastAssistant = undefined;
      this.held.push(message);
      this.ready.push(...this.held);
      this.held = [];
    } else if (this.lastAssistant != null) {
      this.held.push(message);
    } else {
      this.ready.push(message);
    }
    if (this.warmup) message.provenance = 'warmup';
  }

  private take(): Message[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }
}
