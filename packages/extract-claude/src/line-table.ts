import { GrowableTypedArray, type NumberArray } from '@forge/reader-kit';
import { asString, type ConversationLineType } from './claude-line.js';
import { type LineFields } from './scan-claude-line.js';
import { UuidIndex } from './uuid-index.js';

/** The line types of the table, by their code in `LineTable.types`. */
export const lineTypes: readonly ConversationLineType[] = ['user', 'assistant', 'system', 'attachment', 'progress'];
const typeCodes = new Map<string, number>(lineTypes.map((type, code) => [type, code]));

/** Codes of `LineTable.types`. */
export const userCode = 0;
export const assistantCode = 1;

const sidechainFlag = 1;
const metaFlag = 2;
const apiErrorFlag = 4;
const textFlag = 8;
const compactBoundaryFlag = 16;

/** `LineTable.parentRow` of a line with no parentUuid. */
export const noParent = -1;
/** `LineTable.parentRow` of a line whose parent is not in the file. */
export const unresolvedParent = -2;
const initialRows = 64;

function column<T extends NumberArray>(create: (length: number) => T): GrowableTypedArray<T> {
  return new GrowableTypedArray(create, { initialLength: initialRows + 1, growth: 1.5 });
}

/**
 * The conversation graph of one file, one row per conversation line (first copy of each uuid),
 * in file order: row number = file order. Columns are typed arrays that grow by half, and the
 * uuids sit in a `UuidIndex`, so a file of 600,000 lines costs a few dozen MB, not a few hundred
 * (claude-code.md §7.2 needs the graph, the response ids and the tool ids; no content). The
 * reader selects trajectories from it.
 */
export class LineTable {
  /** Rows so far. */
  count = 0;
  // Columns grow by half, not doubling: they are most of a big file's index, and unused capacity is waste.
  readonly #lineNumbers = column((length) => new Int32Array(length));
  readonly #byteOffsets = column((length) => new Float64Array(length));
  readonly #types = column((length) => new Uint8Array(length));
  readonly #flags = column((length) => new Uint8Array(length));
  /** Parent row, `noParent`, or `unresolvedParent`. */
  readonly #parents = column((length) => new Int32Array(length));
  /** Index in `strings`, or -1. */
  readonly #sessionIds = column((length) => new Int32Array(length));
  readonly #agentIds = column((length) => new Int32Array(length));
  /** assistant rows: the response (message.id + requestId) index in `draftKeys`, or -1. */
  readonly #responses = column((length) => new Int32Array(length));
  /** Where the row's tool uses (assistant) or tool results (user) start in the flat lists (one more than rows). */
  readonly #callStarts = column((length) => new Int32Array(length));
  readonly #columns: GrowableTypedArray<NumberArray>[] = [this.#lineNumbers, this.#byteOffsets, this.#types, this.#flags, this.#parents, this.#sessionIds, this.#agentIds, this.#responses, this.#callStarts];
  get lineNumbers(): Int32Array {
    return this.#lineNumbers.data;
  }
  get byteOffsets(): Float64Array {
    return this.#byteOffsets.data;
  }
  get types(): Uint8Array {
    return this.#types.data;
  }
  private get flags(): Uint8Array {
    return this.#flags.data;
  }
  private get parents(): Int32Array {
    return this.#parents.data;
  }
  private get sessionIds(): Int32Array {
    return this.#sessionIds.data;
  }
  private get agentIds(): Int32Array {
    return this.#agentIds.data;
  }
  private get responses(): Int32Array {
    return this.#responses.data;
  }
  private get callStarts(): Int32Array {
    return this.#callStarts.data;
  }
  private readonly uuids: UuidIndex;
  private readonly unresolvedParents = new Map<number, string>();
  private readonly logicalParents = new Map<number, string>();
  private readonly strings: string[] = [];
  private readonly stringCodes = new Map<string, number>();
  /** Per response: the draft key the message builder groups by, and its message.id's index (same id, same index). */
  private readonly draftKeys: string[] = [];
  private readonly responseCodes = new Map<string, number>();
  private readonly messageIdOf: number[] = [];
  private readonly messageIdCodes = new Map<string, number>();
  /** Flat lists: the tool_use `[id, name]` of assistant rows, the tool_result ids of user rows. */
  private readonly callIds: unknown[] = [];
  private readonly callNames: (string | undefined)[] = [];

  /** `compact`: hold uuids in typed arrays (the streaming index); else in a Map (faster, for files held whole). */
  constructor(options: { compact?: boolean } = {}) {
    this.uuids = new UuidIndex(options.compact !== false);
  }

  /** The row of a uuid, or undefined. */
  rowOf(uuid: string): number | undefined {
    return this.uuids.rowOf(uuid);
  }

  has(uuid: string): boolean {
    return this.uuids.rowOf(uuid) != null;
  }

  /** Adds a conversation line's row from what pass 1 read of it. The caller checks for an earlier copy of the uuid first (`has`). */
  add(fields: LineFields, type: ConversationLineType, uuid: string, lineNumber: number, byteOffset: number): void {
    const row = this.count;
    if (row + 1 >= this.types.length) for (const growing of this.#columns) growing.reserve(row + 2);
    this.count += 1;
    this.uuids.set(uuid, row);
    this.lineNumbers[row] = lineNumber;
    this.byteOffsets[row] = byteOffset;
    this.types[row] = typeCodes.get(type) ?? 0;
    const parentUuid = asString(fields.parentUuid);
    if (parentUuid == null) this.parents[row] = noParent;
    else {
      const parentRow = this.uuids.rowOf(parentUuid);
      if (parentRow == null) {
        this.parents[row] = unresolvedParent;
        this.unresolvedParents.set(row, parentUuid);
      } else this.parents[row] = parentRow;
    }
    this.sessionIds[row] = this.code(asString(fields.sessionId));
    this.agentIds[row] = this.code(asString(fields.agentId));
    let flags = fields.isSidechain === true ? sidechainFlag : 0;
    if (type !== 'progress' && fields.isMeta === true) flags |= metaFlag;
    this.responses[row] = -1;
    this.callStarts[row] = this.callIds.length;
    if (type === 'assistant') {
      if (fields.isApiErrorMessage === true) flags |= apiErrorFlag;
      this.addAssistant(fields, row);
    } else if (type === 'user') {
      if (this.addUser(fields)) flags |= textFlag;
    } else if (type === 'system' && fields.subtype === 'compact_boundary') {
      flags |= compactBoundaryFlag;
      const logicalParentUuid = asString(fields.logicalParentUuid);
      if (logicalParentUuid != null) this.logicalParents.set(row, logicalParentUuid);
    }
    this.flags[row] = flags;
    this.callStarts[row + 1] = this.callIds.length;
  }

  /** Resolves parents that came later in the file than their children; call once, after the last `add`. */
  finish(): void {
    for (const [row, uuid] of this.unresolvedParents) {
      const parentRow = this.uuids.rowOf(uuid);
      if (parentRow != null) {
        this.parents[row] = parentRow;
        this.unresolvedParents.delete(row);
      }
    }
  }

  type(row: number): ConversationLineType {
    return lineTypes[this.types[row] ?? 0] ?? 'user';
  }

  /** A user or assistant line: one that may end a trajectory. */
  isTurn(row: number): boolean {
    const code = this.types[row];
    return code === userCode || code === assistantCode;
  }

  isSidechain(row: number): boolean {
    return ((this.flags[row] ?? 0) & sidechainFlag) !== 0;
  }

  isMeta(row: number): boolean {
    return ((this.flags[row] ?? 0) & metaFlag) !== 0;
  }

  isApiErrorMessage(row: number): boolean {
    return ((this.flags[row] ?? 0) & apiErrorFlag) !== 0;
  }

  /** user rows: there is text a prompt can be read from (`lineText` is not undefined). */
  hasText(row: number): boolean {
    return ((this.flags[row] ?? 0) & textFlag) !== 0;
  }

  uuid(row: number): string {
    return this.uuids.uuidOf(row);
  }

  /** The parent's row, `noParent`, or `unresolvedParent` (its uuid is not in the file: `unresolvedParentUuid`). */
  parentRow(row: number): number {
    return this.parents[row] ?? noParent;
  }

  /** The parentUuid of a row whose parent is not in the file. */
  unresolvedParentUuid(row: number): string | undefined {
    return this.unresolvedParents.get(row);
  }

  /** A compact_boundary's logicalParentUuid (the walk crosses compactions by it, §7.2). */
  logicalParent(row: number): string | undefined {
    return ((this.flags[row] ?? 0) & compactBoundaryFlag) === 0 ? undefined : this.logicalParents.get(row);
  }

  sessionId(row: number): string | undefined {
    return this.strings[this.sessionIds[row] ?? -1];
  }

  agentId(row: number): string | undefined {
    return this.strings[this.agentIds[row] ?? -1];
  }

  /** assistant rows: the response's message.id index (same index = same message.id), or -1. */
  messageIdIndex(row: number): number {
    const response = this.responses[row] ?? -1;
    return response < 0 ? -1 : (this.messageIdOf[response] ?? -1);
  }

  /** assistant rows: the response index (same message.id and requestId = same index, < `responseCount`), or -1. */
  response(row: number): number {
    return this.responses[row] ?? -1;
  }

  /** Number of distinct responses (message.id + requestId). */
  get responseCount(): number {
    return this.draftKeys.length;
  }

  /** assistant rows: `draftKey` of the line, as the message builder groups a response's lines. */
  draftKey(row: number): string {
    const response = this.responses[row] ?? -1;
    return response < 0 ? `line:${this.uuid(row)}` : (this.draftKeys[response] ?? '');
  }

  /** assistant rows: `[id, name]` of each tool_use block with an id. */
  toolUses(row: number): [unknown, string][] {
    if (this.types[row] !== assistantCode) return [];
    const uses: [unknown, string][] = [];
    for (let index = this.callStarts[row] ?? 0; index < (this.callStarts[row + 1] ?? 0); index += 1) uses.push([this.callIds[index], this.callNames[index] ?? 'unknown']);
    return uses;
  }

  /** user rows: the `tool_use_id ?? ''` of each tool_result block, as written. */
  resultCallIds(row: number): unknown[] {
    if (this.types[row] !== userCode) return [];
    return this.callIds.slice(this.callStarts[row] ?? 0, this.callStarts[row + 1] ?? 0);
  }

  private code(value: string | undefined): number {
    if (value == null) return -1;
    let code = this.stringCodes.get(value);
    if (code == null) {
      code = this.strings.length;
      this.strings.push(value);
      this.stringCodes.set(value, code);
    }
    return code;
  }

  private addAssistant(fields: LineFields, row: number): void {
    const messageId = fields.messageIsObject ? asString(fields.messageId) : undefined;
    if (messageId != null) {
      const draftKey = `${messageId}\u0000${asString(fields.requestId) ?? ''}`;
      let response = this.responseCodes.get(draftKey);
      if (response == null) {
        response = this.draftKeys.length;
        this.draftKeys.push(draftKey);
        this.responseCodes.set(draftKey, response);
        let messageIdIndex = this.messageIdCodes.get(messageId);
        if (messageIdIndex == null) {
          messageIdIndex = this.messageIdCodes.size;
          this.messageIdCodes.set(messageId, messageIdIndex);
        }
        this.messageIdOf.push(messageIdIndex);
      }
      this.responses[row] = response;
    }
    if (fields.content !== 'array') return;
    for (let index = 0; index < fields.blockCount; index += 1) {
      const block = fields.blocks[index];
      if (block?.type === 'tool_use' && block.id != null) {
        this.callIds.push(block.id);
        this.callNames.push(block.name as string | undefined);
      }
    }
  }

  /** Adds the tool_result ids; true when the line has prompt text. */
  private addUser(fields: LineFields): boolean {
    if (fields.content === 'string') return true;
    if (fields.content !== 'array') return false;
    let text = false;
    for (let index = 0; index < fields.blockCount; index += 1) {
      const block = fields.blocks[index];
      if (block == null) continue;
      if (block.type === 'tool_result') {
        this.callIds.push(block.toolUseId ?? '');
        this.callNames.push(undefined);
      } else if (block.type === 'text' && block.hasText) text = true;
    }
    return text;
  }

}
