import { type Message } from '@forge/schema';
import { addLineMessages, draftKey, finishAssistant, type AssistantDraft } from './line-messages.js';
import { type ConversationLine } from './claude-line.js';
import { assistantCode, userCode, type LineTable } from './line-table.js';
import { type WarningLog } from '@forge/reader-kit';

/** Marks a first tool result that is already in the output. */
const placedResult = Symbol('placed');

/**
 * A trajectory's messages in API order, built one line at a time (claude-code.md §6.1): the lines
 * of a response merged into one assistant message, each tool result placed right after its call
 * in `tool_use` order, `[Request interrupted by user]` marking the turn it cut. Each message is
 * handed out as soon as nothing later can change it or come before it; what a message still waits
 * for is read from the line table of the trajectory (response line counts, where each call's first
 * result is), so the only messages held are those of the turn in progress.
 */
export class MessageStream {
  /** Responses whose every line had `stop_reason: null`: the file never got their final usage. */
  provisionalResponses = 0;
  /** Problems of single lines (a user line without content, unknown blocks). */
  private readonly warnings: WarningLog;
  /** Problems found putting the messages in order (repeated, orphan and missing tool results): reported after the lines'. */
  private readonly orderWarnings: WarningLog;
  private readonly warmup: boolean;
  /** Open responses by draft key. */
  private readonly drafts = new Map<string, AssistantDraft>();
  /** Assistant messages whose response has lines still to come. Each leaves when its response closes. */
  private readonly openResponses = new WeakSet<Message>();
  /**
   * The trajectory's tool calls in typed columns, one slot per call id seen in its table rows: a
   * long session makes 100,000s of calls, and three Maps keyed by id cost several times this.
   */
  private readonly callSlots = new Map<unknown, number>();
  private readonly callNames: (string | undefined)[] = [];
  /** Row of the first selected line holding a result for the call, or -1. */
  private readonly firstResultRows: Int32Array;
  /** The call's first result message until it is placed, then `placedResult`. */
  private readonly firstResults: (Message | typeof placedResult | undefined)[];
  /** As `firstResults`, for a result whose call id the table never saw (e.g. an id that is not a string). */
  private readonly otherFirstResults = new Map<unknown, Message | typeof placedResult>();
  /** The selected rows, their response (or -1), and how many selected lines each response has still to come. */
  private readonly rows: Int32Array;
  private readonly rowResponses: Int32Array;
  private readonly linesToCome: Int32Array;
  private rowCursor = 0;
  /** Results placed after their call, ahead of where they were created. */
  private readonly pulledForward = new WeakSet<Message>();
  private created: Message[] = [];
  private head = 0;
  private lastOrder = -1;
  /** The output from the last assistant message on: an interruption may still mark that message. */
  private readonly held: Message[] = [];
  private lastAssistant: Message | undefined;
  private ready: Message[] = [];
  private readonly toolNames = { get: (toolCallId: string): string | undefined => this.callNames[this.callSlots.get(toolCallId) ?? -1] };

  /** `rows`: the trajectory's selected rows of `table`, ascending. Full lines are then pushed in that order, with `order` = row. */
  constructor(table: LineTable, rows: Int32Array, warnings: { lines: WarningLog; order: WarningLog }, options: { warmup?: boolean } = {}) {
    this.warnings = warnings.lines;
    this.orderWarnings = warnings.order;
    this.warmup = options.warmup === true;
    this.rows = rows;
    this.rowResponses = new Int32Array(rows.length);
    this.linesToCome = new Int32Array(table.responseCount);
    const firstResultRows: number[] = [];
    const slotOf = (id: unknown): number => {
      let slot = this.callSlots.get(id);
      if (slot == null) {
        slot = this.callNames.length;
        this.callSlots.set(id, slot);
        this.callNames.push(undefined);
        firstResultRows.push(-1);
      }
      return slot;
    };
    for (const [position, row] of rows.entries()) {
      const code = table.types[row];
      this.rowResponses[position] = -1;
      if (code === assistantCode) {
        for (const [id, name] of table.toolUses(row)) this.callNames[slotOf(id)] = name;
        const response = table.response(row);
        this.rowResponses[position] = response;
        if (response >= 0) this.linesToCome[response] = (this.linesToCome[response] ?? 0) + 1;
      } else if (code === userCode) {
        for (const id of table.resultCallIds(row)) {
          const slot = slotOf(id);
          if (firstResultRows[slot] === -1) firstResultRows[slot] = row;
        }
      }
    }
    this.firstResultRows = Int32Array.from(firstResultRows);
    // Filled, not holey: a sparse array would fall back to a dictionary.
    this.firstResults = new Array<Message | typeof placedResult | undefined>(firstResultRows.length).fill(undefined);
  }

  /** Adds the next selected line (full, in file order); returns the messages now final. */
  push(line: ConversationLine): Message[] {
    const before = this.created.length;
    addLineMessages(line, this.created, this.drafts, this.toolNames, this.warnings);
    for (let index = before; index < this.created.length; index += 1) {
      const message = this.created[index];
      if (message?.role !== 'tool' || message.toolResult == null) continue;
      if (this.firstResult(message.toolResult.toolCallId) === undefined) this.setFirstResult(message.toolResult.toolCallId, message);
    }
    if (line.type === 'assistant') this.lineOfResponse(line);
    this.lastOrder = line.order;
    this.drain(false);
    return this.take();
  }

  private firstResult(callId: unknown): Message | typeof placedResult | undefined {
    const slot = this.callSlots.get(callId);
    return slot == null ? this.otherFirstResults.get(callId) : this.firstResults[slot];
  }

  private setFirstResult(callId: unknown, value: Message | typeof placedResult): void {
    const slot = this.callSlots.get(callId);
    if (slot == null) this.otherFirstResults.set(callId, value);
    else this.firstResults[slot] = value;
  }

  /** The response index of a pushed line (its `order` is its row), or -1. */
  private responseOf(line: ConversationLine): number {
    while (this.rowCursor < this.rows.length && (this.rows[this.rowCursor] ?? 0) < line.order) this.rowCursor += 1;
    return this.rows[this.rowCursor] === line.order ? (this.rowResponses[this.rowCursor] ?? -1) : -1;
  }

  /** Ends the trajectory: everything left, in order. */
  finish(): Message[] {
    for (const [key, draft] of this.drafts) this.close(key, draft);
    this.drain(true);
    this.ready.push(...this.held);
    this.held.length = 0;
    this.lastAssistant = undefined;
    return this.take();
  }

  private lineOfResponse(line: ConversationLine): void {
    const key = draftKey(line);
    const draft = this.drafts.get(key);
    if (draft == null) return;
    this.openResponses.add(draft.message);
    // A line without message.id is a response of its own.
    const response = this.responseOf(line);
    if (response < 0) {
      this.close(key, draft);
      return;
    }
    const toCome = (this.linesToCome[response] ?? 1) - 1;
    this.linesToCome[response] = toCome;
    if (toCome <= 0) this.close(key, draft);
  }

  private close(key: string, draft: AssistantDraft): void {
    this.openResponses.delete(draft.message);
    finishAssistant(draft);
    if (!draft.synthetic && !draft.sawFinalStop && draft.usageCandidates.length > 0) this.provisionalResponses += 1;
    this.drafts.delete(key);
  }

  /** `orderToolResults` over the created messages, as far as they are final. */
  private drain(final: boolean): void {
    while (this.head < this.created.length) {
      const message = this.created[this.head] as Message;
      if (!final && message.role === 'assistant' && !this.isFinal(message)) break;
      this.head += 1;
      this.place(message);
    }
    // Drop the consumed prefix in place. Handed-out messages must not stay reachable from here,
    // nor from a replaced array: once promoted, a dropped array still keeps its young elements
    // alive through every scavenge until the next full GC, and they pile up in the old generation.
    if (this.head === this.created.length) {
      this.created.length = 0;
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.created.length) {
      this.created.splice(0, this.head);
      this.head = 0;
    }
  }

  private isFinal(message: Message): boolean {
    if (this.openResponses.has(message)) return false;
    for (const call of message.toolCalls) {
      const resultRow = this.firstResultRows[this.callSlots.get(call.id) ?? -1] ?? -1;
      if (resultRow >= 0 && resultRow > this.lastOrder) return false;
    }
    return true;
  }

  private place(message: Message): void {
    if (message.role === 'tool') {
      if (this.pulledForward.delete(message)) return;
      const callId = message.toolResult?.toolCallId ?? '';
      if (this.firstResult(callId) !== message) {
        this.orderWarnings.addCounted('duplicate', 'tool-result', 'tool results repeat an earlier result for the same call; later copies dropped');
        return;
      }
      this.orderWarnings.addCounted('orphan-tool-result', '', 'tool results with no matching tool call in the trajectory');
      this.setFirstResult(callId, placedResult);
      this.output(message);
      return;
    }
    this.output(message);
    if (message.role !== 'assistant') return;
    for (const call of message.toolCalls) {
      const result = this.firstResult(call.id);
      if (result == null) {
        this.orderWarnings.addCounted('missing-tool-result', '', 'tool calls with no tool result in the trajectory (interrupted or cut off)');
        continue;
      }
      if (result === placedResult) continue;
      this.setFirstResult(call.id, placedResult);
      this.pulledForward.add(result);
      this.output(result);
    }
  }

  /** `markInterruptions` and the warmup provenance, on the ordered output. */
  private output(message: Message): void {
    if (message.role === 'assistant') {
      this.ready.push(...this.held);
      this.held.length = 0;
      this.held.push(message);
      this.lastAssistant = message;
    } else if (message.provenance === 'interrupted' && this.lastAssistant != null) {
      this.lastAssistant.metadata = { ...this.lastAssistant.metadata, interrupted: true };
      this.lastAssistant = undefined;
      this.held.push(message);
      this.ready.push(...this.held);
      this.held.length = 0;
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
