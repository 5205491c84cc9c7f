import { type ConversationLine } from './claude-line.js';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, keyCode, keyTable, OPEN_BRACE, OPEN_BRACKET, QUOTE, skipJsonSpace, type KeyTable } from './json-bytes.js';

/**
 * Pass 1 of the Claude Code reader reads a few fields of every line (claude-code.md §3, §4): the
 * graph links, the response and tool ids, the title lines. A line is mostly one or two big strings
 * (message text, tool output) and the `uuid` comes after them, so instead of `JSON.parse` the line's
 * bytes are walked: strings are jumped over with `indexOf`, nested values are skipped, and only the
 * wanted values are decoded. A line the walk cannot follow returns false and is parsed in full.
 */

const trueBytes = Buffer.from('true');
const falseBytes = Buffer.from('false');
const nullBytes = Buffer.from('null');
/** The characters a backslash may escape besides `u`: " \\ / b f n r t. */
const simpleEscapes = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function isHexDigit(byte: number): boolean {
  return isDigit(byte) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46);
}

/** Top-level keys read, and where their value goes. */
const Key = {
  Other: 0,
  Type: 1,
  Uuid: 2,
  ParentUuid: 3,
  LogicalParentUuid: 4,
  SessionId: 5,
  AgentId: 6,
  IsSidechain: 7,
  IsMeta: 8,
  IsApiErrorMessage: 9,
  Subtype: 10,
  Cwd: 11,
  RequestId: 12,
  Message: 13,
  LeafUuid: 14,
  Summary: 15,
  AiTitle: 16,
  CustomTitle: 17,
  ShapeHash: 18,
} as const;

const topKeyList: [string, number][] = [
  ['type', Key.Type],
  ['uuid', Key.Uuid],
  ['parentUuid', Key.ParentUuid],
  ['logicalParentUuid', Key.LogicalParentUuid],
  ['sessionId', Key.SessionId],
  ['agentId', Key.AgentId],
  ['isSidechain', Key.IsSidechain],
  ['isMeta', Key.IsMeta],
  ['isApiErrorMessage', Key.IsApiErrorMessage],
  ['subtype', Key.Subtype],
  ['cwd', Key.Cwd],
  ['requestId', Key.RequestId],
  ['message', Key.Message],
  ['leafUuid', Key.LeafUuid],
  ['summary', Key.Summary],
  ['aiTitle', Key.AiTitle],
  ['customTitle', Key.CustomTitle],
  ['shapeHash', Key.ShapeHash],
];

const topKeys = keyTable(topKeyList);
const MESSAGE_ID = 1;
const MESSAGE_CONTENT = 2;
const messageKeys = keyTable([
  ['id', MESSAGE_ID],
  ['content', MESSAGE_CONTENT],
]);
const BLOCK_TYPE = 1;
const BLOCK_ID = 2;
const BLOCK_NAME = 3;
const BLOCK_TOOL_USE_ID = 4;
const BLOCK_TEXT = 5;
const blockKeys = keyTable([
  ['type', BLOCK_TYPE],
  ['id', BLOCK_ID],
  ['name', BLOCK_NAME],
  ['tool_use_id', BLOCK_TOOL_USE_ID],
  ['text', BLOCK_TEXT],
]);

/** One content block as pass 1 sees it. */
interface BlockFields {
  type: unknown;
  id: unknown;
  name: unknown;
  toolUseId: unknown;
  /** `text` is a string. */
  hasText: boolean;
}

/**
 * The fields of one line pass 1 reads, exactly as `JSON.parse` would give them (`undefined` when
 * absent). One object, reset for every line: nothing is allocated per line but the values.
 */
export class LineFields {
  type: unknown;
  uuid: unknown;
  parentUuid: unknown;
  logicalParentUuid: unknown;
  sessionId: unknown;
  agentId: unknown;
  isSidechain: unknown;
  isMeta: unknown;
  isApiErrorMessage: unknown;
  subtype: unknown;
  cwd: unknown;
  requestId: unknown;
  leafUuid: unknown;
  summary: unknown;
  aiTitle: unknown;
  customTitle: unknown;
  /** `api-request` and `api-request-shape` lines: the shape's hash. */
  shapeHash: unknown;
  /** `message` is an object (else its id and content are absent). */
  messageIsObject = false;
  messageId: unknown;
  /** `message.content`: a string, an array (its object blocks in `blocks`), or anything else. */
  content: 'absent' | 'string' | 'array' | 'other' = 'absent';
  readonly blocks: BlockFields[] = [];
  blockCount = 0;

  reset(): void {
    this.type = undefined;
    this.uuid = undefined;
    this.parentUuid = undefined;
    this.logicalParentUuid = undefined;
    this.sessionId = undefined;
    this.agentId = undefined;
    this.isSidechain = undefined;
    this.isMeta = undefined;
    this.isApiErrorMessage = undefined;
    this.subtype = undefined;
    this.cwd = undefined;
    this.requestId = undefined;
    this.leafUuid = undefined;
    this.summary = undefined;
    this.aiTitle = undefined;
    this.customTitle = undefined;
    this.shapeHash = undefined;
    this.messageIsObject = false;
    this.messageId = undefined;
    this.content = 'absent';
    this.blockCount = 0;
  }

  /** The next block slot, cleared. */
  addBlock(): BlockFields {
    let block = this.blocks[this.blockCount];
    if (block == null) {
      block = { type: undefined, id: undefined, name: undefined, toolUseId: undefined, hasText: false };
      this.blocks.push(block);
    } else {
      block.type = undefined;
      block.id = undefined;
      block.name = undefined;
      block.toolUseId = undefined;
      block.hasText = false;
    }
    this.blockCount += 1;
    return block;
  }

  /**
   * Fills the fields from a conversation line already mapped (`toConversationLine`): the same
   * values as from its record, read from one object shape instead of many.
   */
  fromLine(line: ConversationLine): void {
    this.reset();
    this.type = line.type;
    this.uuid = line.uuid;
    this.parentUuid = line.parentUuid ?? undefined;
    this.logicalParentUuid = line.logicalParentUuid;
    this.sessionId = line.sessionId;
    this.agentId = line.agentId;
    this.isSidechain = line.isSidechain;
    this.isMeta = line.isMeta;
    this.isApiErrorMessage = line.isApiErrorMessage;
    this.subtype = line.subtype;
    this.cwd = line.cwd;
    this.requestId = line.requestId;
    if (line.type === 'assistant') {
      // An assistant line's message is read as an object (an absent one has no id and no blocks).
      this.messageIsObject = true;
      this.messageId = line.messageId;
      this.content = 'array';
      for (const raw of line.blocks ?? []) this.block(raw as unknown as Record<string, unknown>);
    } else if (line.type === 'user') {
      const content = line.content;
      this.messageIsObject = content !== undefined;
      if (typeof content === 'string') this.content = 'string';
      else if (Array.isArray(content)) {
        this.content = 'array';
        for (const value of content as unknown[]) if (typeof value === 'object' && value != null && !Array.isArray(value)) this.block(value as Record<string, unknown>);
      } else if (content !== undefined) this.content = 'other';
    }
  }

  private block(raw: Record<string, unknown>): void {
    const block = this.addBlock();
    block.type = raw.type;
    block.id = raw.id;
    block.name = raw.name;
    block.toolUseId = raw.tool_use_id;
    block.hasText = typeof raw.text === 'string';
  }

  /** Fills the fields from a parsed line (the fallback when the walk gave up). */
  fromRecord(record: Record<string, unknown>): void {
    this.reset();
    this.type = record.type;
    this.uuid = record.uuid;
    this.parentUuid = record.parentUuid;
    this.logicalParentUuid = record.logicalParentUuid;
    this.sessionId = record.sessionId;
    this.agentId = record.agentId;
    this.isSidechain = record.isSidechain;
    this.isMeta = record.isMeta;
    this.isApiErrorMessage = record.isApiErrorMessage;
    this.subtype = record.subtype;
    this.cwd = record.cwd;
    this.requestId = record.requestId;
    this.leafUuid = record.leafUuid;
    this.summary = record.summary;
    this.aiTitle = record.aiTitle;
    this.customTitle = record.customTitle;
    this.shapeHash = record.shapeHash;
    const message = record.message;
    if (typeof message !== 'object' || message == null || Array.isArray(message)) return;
    this.messageIsObject = true;
    const { id, content } = message as Record<string, unknown>;
    this.messageId = id;
    if (typeof content === 'string') this.content = 'string';
    else if (Array.isArray(content)) {
      this.content = 'array';
      for (const value of content as unknown[]) if (typeof value === 'object' && value != null && !Array.isArray(value)) this.block(value as Record<string, unknown>);
    } else if (content !== undefined) this.content = 'other';
  }
}

/** Thrown inside the walk when the bytes are not what a JSON object line looks like. */
const unreadable = new Error('not a line the walk can follow');
// Deeper than any transcript nests: JSON.parse decides.
const MAX_DEPTH = 512;

/** Walks one line's bytes (`buffer[start, end)`) into `fields`; false when it must be parsed in full instead. */
export function scanClaudeLine(buffer: Buffer, start: number, end: number, fields: LineFields): boolean {
  fields.reset();
  walker.buffer = buffer;
  walker.end = end;
  walker.nextBackslash = -2;
  try {
    const position = walker.topLevel(start, fields);
    return walker.skipSpace(position) === end;
  } catch (error) {
    if (error === unreadable) return false;
    throw error;
  } finally {
    walker.buffer = empty;
  }
}

/**
 * The position after the JSON value at `buffer[start]` (line ending at `end`), its grammar checked
 * as `scanClaudeLine` checks it; -1 when the walk cannot follow it. `checkEscapes: false` jumps
 * over a string to its closing quote without checking its escapes (the summary read's cut values,
 * `summaryLineText`: half the work).
 */
export function skipJsonValue(buffer: Buffer, start: number, end: number, { checkEscapes }: { checkEscapes: boolean }): number {
  walker.buffer = buffer;
  walker.end = end;
  walker.nextBackslash = -2;
  walker.checkEscapes = checkEscapes;
  try {
    return walker.skipValue(start);
  } catch (error) {
    if (error === unreadable) return -1;
    throw error;
  } finally {
    walker.buffer = empty;
    walker.checkEscapes = true;
  }
}

const empty = Buffer.alloc(0);

/**
 * The walk over one line. Checks the grammar as JSON.parse does (escapes, literals, numbers,
 * nesting; not raw control characters in strings, which JSON writers never leave), so a line it
 * accepts is one JSON.parse accepts, and reads the same values.
 */
class LineWalker {
  buffer: Buffer = empty;
  end = 0;
  /** The first backslash at or after where the walk is, found once and reused (-2: not looked for yet; -1: none). */
  nextBackslash = -2;
  private readonly containers = new Uint8Array(MAX_DEPTH + 1);

  skipSpace(position: number): number {
    return skipJsonSpace(this.buffer, position, this.end);
  }

  /** The first backslash at or after `position`, or -1. */
  private backslashFrom(position: number): number {
    if (this.nextBackslash === -1) return -1;
    if (this.nextBackslash < position) {
      const found = this.buffer.indexOf(BACKSLASH, position);
      this.nextBackslash = found === -1 || found >= this.end ? -1 : found;
    }
    return this.nextBackslash;
  }

  /** Whether the string `stringEnd` walked last held a backslash (then JSON.parse decodes it). */
  private escaped = false;

  /** False: strings are jumped over to their closing quote, escapes unchecked ({@link skipJsonValue}). */
  checkEscapes = true;

  /** The position of the quote that closes the string opening at `position`, its escapes checked. */
  stringEnd(position: number): number {
    const { buffer, end } = this;
    if (!this.checkEscapes) return this.closingQuote(position);
    let at = position + 1;
    let escape = this.backslashFrom(at);
    this.escaped = false;
    for (;;) {
      const quote = buffer.indexOf(QUOTE, at);
      if (quote === -1 || quote >= end) throw unreadable;
      if (escape === -1 || escape > quote) return quote;
      this.escaped = true;
      // Each escape takes the character after it; one that takes this quote means the string goes on.
      let quoteEscaped = false;
      while (escape !== -1 && escape < quote) {
        if (escape + 1 === quote) {
          quoteEscaped = true;
          escape = this.backslashFrom(quote + 1);
          break;
        }
        const next = buffer[escape + 1] ?? 0;
        if (next === 0x75) {
          for (let digit = escape + 2; digit < escape + 6; digit += 1) if (!isHexDigit(buffer[digit] ?? 0)) throw unreadable;
        } else if (!simpleEscapes.has(next)) throw unreadable;
        escape = this.backslashFrom(escape + 2);
      }
      if (!quoteEscaped) return quote;
      at = quote + 1;
    }
  }

  /** The next quote after `position` not escaped by an odd run of backslashes (`escaped` is set: what the string holds is not known). */
  private closingQuote(position: number): number {
    const { buffer, end } = this;
    this.escaped = true;
    let at = position + 1;
    for (;;) {
      const quote = buffer.indexOf(QUOTE, at);
      if (quote === -1 || quote >= end) throw unreadable;
      let before = quote - 1;
      while (buffer[before] === BACKSLASH) before -= 1;
      if ((quote - 1 - before) % 2 === 0) return quote;
      at = quote + 1;
    }
  }

  /** A key: its code in `table`, or -1 for a key not looked for. Keys spelled with escapes are left to JSON.parse. */
  private key(position: number, table: KeyTable): { code: number; end: number } {
    const { buffer } = this;
    if (buffer[position] !== QUOTE) throw unreadable;
    const quote = this.stringEnd(position);
    if (this.escaped) throw unreadable;
    const code = keyCode(buffer, position + 1, quote, table);
    let at = this.skipSpace(quote + 1);
    if (buffer[at] !== COLON) throw unreadable;
    at = this.skipSpace(at + 1);
    keyResult.code = code;
    keyResult.end = at;
    return keyResult;
  }

  /** After a member's value: the position of the next key, or -1 when the object closed (then `closedAt` is past the brace). */
  private nextMember(position: number): number {
    const { buffer } = this;
    position = this.skipSpace(position);
    const byte = buffer[position];
    if (byte === COMMA) return this.skipSpace(position + 1);
    if (byte === CLOSE_BRACE) {
      this.closedAt = position + 1;
      return -1;
    }
    throw unreadable;
  }

  private closedAt = 0;

  /** The top-level object: the wanted members read, the rest skipped. Returns the position after it. */
  topLevel(position: number, fields: LineFields): number {
    const { buffer } = this;
    position = this.skipSpace(position);
    if (buffer[position] !== OPEN_BRACE) throw unreadable;
    position = this.skipSpace(position + 1);
    if (buffer[position] === CLOSE_BRACE) return position + 1;
    for (;;) {
      const { code, end: valueStart } = this.key(position, topKeys);
      let valueEnd: number;
      if (code === Key.Message) valueEnd = this.message(valueStart, fields);
      else {
        valueEnd = this.skipValue(valueStart);
        if (code > Key.Other) this.assign(code, fields, this.value(valueStart, valueEnd));
      }
      position = this.nextMember(valueEnd);
      if (position === -1) return this.closedAt;
    }
  }

  private assign(code: number, fields: LineFields, value: unknown): void {
    switch (code) {
      case Key.Type:
        fields.type = value;
        return;
      case Key.Uuid:
        fields.uuid = value;
        return;
      case Key.ParentUuid:
        fields.parentUuid = value;
        return;
      case Key.LogicalParentUuid:
        fields.logicalParentUuid = value;
        return;
      case Key.SessionId:
        fields.sessionId = value;
        return;
      case Key.AgentId:
        fields.agentId = value;
        return;
      case Key.IsSidechain:
        fields.isSidechain = value;
        return;
      case Key.IsMeta:
        fields.isMeta = value;
        return;
      case Key.IsApiErrorMessage:
        fields.isApiErrorMessage = value;
        return;
      case Key.Subtype:
        fields.subtype = value;
        return;
      case Key.Cwd:
        fields.cwd = value;
        return;
      case Key.RequestId:
        fields.requestId = value;
        return;
      case Key.LeafUuid:
        fields.leafUuid = value;
        return;
      case Key.Summary:
        fields.summary = value;
        return;
      case Key.AiTitle:
        fields.aiTitle = value;
        return;
      case Key.CustomTitle:
        fields.customTitle = value;
        return;
      case Key.ShapeHash:
        fields.shapeHash = value;
        return;
      default:
        return;
    }
  }

  /** `message`: its `id` and the blocks of its `content`. A repeated key replaces what came before, as in JSON.parse. */
  private message(position: number, fields: LineFields): number {
    const { buffer } = this;
    fields.messageIsObject = false;
    fields.messageId = undefined;
    fields.content = 'absent';
    fields.blockCount = 0;
    if (buffer[position] !== OPEN_BRACE) return this.skipValue(position);
    fields.messageIsObject = true;
    position = this.skipSpace(position + 1);
    if (buffer[position] === CLOSE_BRACE) return position + 1;
    for (;;) {
      const { code, end: valueStart } = this.key(position, messageKeys);
      let valueEnd: number;
      if (code === MESSAGE_CONTENT) valueEnd = this.content(valueStart, fields);
      else {
        valueEnd = this.skipValue(valueStart);
        if (code === MESSAGE_ID) fields.messageId = this.value(valueStart, valueEnd);
      }
      position = this.nextMember(valueEnd);
      if (position === -1) return this.closedAt;
    }
  }

  private content(position: number, fields: LineFields): number {
    const { buffer } = this;
    fields.blockCount = 0;
    const first = buffer[position];
    if (first === QUOTE) {
      fields.content = 'string';
      return this.stringEnd(position) + 1;
    }
    if (first !== OPEN_BRACKET) {
      fields.content = 'other';
      return this.skipValue(position);
    }
    fields.content = 'array';
    position = this.skipSpace(position + 1);
    if (buffer[position] === CLOSE_BRACKET) return position + 1;
    for (;;) {
      position = buffer[position] === OPEN_BRACE ? this.block(position, fields) : this.skipValue(position);
      position = this.skipSpace(position);
      const byte = buffer[position];
      if (byte === CLOSE_BRACKET) return position + 1;
      if (byte !== COMMA) throw unreadable;
      position = this.skipSpace(position + 1);
    }
  }

  private block(position: number, fields: LineFields): number {
    const { buffer } = this;
    const block = fields.addBlock();
    position = this.skipSpace(position + 1);
    if (buffer[position] === CLOSE_BRACE) return position + 1;
    for (;;) {
      const { code, end: valueStart } = this.key(position, blockKeys);
      const valueEnd = this.skipValue(valueStart);
      if (code === BLOCK_TYPE) block.type = this.value(valueStart, valueEnd);
      else if (code === BLOCK_ID) block.id = this.value(valueStart, valueEnd);
      else if (code === BLOCK_NAME) block.name = this.value(valueStart, valueEnd);
      else if (code === BLOCK_TOOL_USE_ID) block.toolUseId = this.value(valueStart, valueEnd);
      else if (code === BLOCK_TEXT) block.hasText = buffer[valueStart] === QUOTE;
      position = this.nextMember(valueEnd);
      if (position === -1) return this.closedAt;
    }
  }

  /** Skips any value at `position`, checking its grammar; returns the position after it. Nested values are walked with a stack, not recursion. */
  skipValue(position: number): number {
    const { buffer, containers } = this;
    const first = buffer[position];
    if (first === QUOTE) return this.stringEnd(position) + 1;
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return this.scalar(position);
    let depth = 0;
    containers[depth++] = first;
    position = this.skipSpace(position + 1);
    // Just inside a container: it may close at once.
    let opened = true;
    for (;;) {
      const inObject = containers[depth - 1] === OPEN_BRACE;
      if (opened && buffer[position] === (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        position += 1;
        depth -= 1;
      } else {
        if (inObject) {
          if (buffer[position] !== QUOTE) throw unreadable;
          position = this.skipSpace(this.stringEnd(position) + 1);
          if (buffer[position] !== COLON) throw unreadable;
          position = this.skipSpace(position + 1);
        }
        const byte = buffer[position];
        if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          if (depth > MAX_DEPTH) throw unreadable;
          containers[depth++] = byte;
          position = this.skipSpace(position + 1);
          opened = true;
          continue;
        }
        position = byte === QUOTE ? this.stringEnd(position) + 1 : this.scalar(position);
      }
      // After a value (or a container that closed): a comma, or the end of the containers it closes.
      for (;;) {
        if (depth === 0) return position;
        position = this.skipSpace(position);
        const byte = buffer[position];
        if (byte === COMMA) {
          position = this.skipSpace(position + 1);
          opened = false;
          break;
        }
        if (byte !== (containers[depth - 1] === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) throw unreadable;
        position += 1;
        depth -= 1;
      }
    }
  }

  /** A literal or a number. */
  private scalar(position: number): number {
    const first = this.buffer[position];
    if (first === 0x74) return this.literal(position, trueBytes);
    if (first === 0x66) return this.literal(position, falseBytes);
    if (first === 0x6e) return this.literal(position, nullBytes);
    return this.number(position);
  }

  private literal(position: number, bytes: Uint8Array): number {
    const { buffer } = this;
    if (position + bytes.length > this.end) throw unreadable;
    for (let index = 1; index < bytes.length; index += 1) if (buffer[position + index] !== bytes[index]) throw unreadable;
    return position + bytes.length;
  }

  /** A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. */
  private number(position: number): number {
    const { buffer } = this;
    if (buffer[position] === 0x2d) position += 1;
    if (buffer[position] === 0x30) position += 1;
    else position = this.digits(position);
    if (buffer[position] === 0x2e) position = this.digits(position + 1);
    const exponent = buffer[position];
    if (exponent === 0x65 || exponent === 0x45) {
      position += 1;
      if (buffer[position] === 0x2b || buffer[position] === 0x2d) position += 1;
      position = this.digits(position);
    }
    if (position > this.end) throw unreadable;
    return position;
  }

  private digits(position: number): number {
    const { buffer } = this;
    const start = position;
    while (isDigit(buffer[position] ?? 0)) position += 1;
    if (position === start) throw unreadable;
    return position;
  }

  /** The value at `[start, end)` as JSON.parse gives it; a string without escapes is decoded directly. */
  value(start: number, end: number): unknown {
    const { buffer } = this;
    const first = buffer[start];
    // Called right after the value was skipped: `escaped` is about this string.
    if (first === QUOTE) {
      if (!this.escaped) return buffer.toString('utf8', start + 1, end - 1);
    } else if (first === 0x74 && end - start === 4) return true;
    else if (first === 0x66 && end - start === 5) return false;
    else if (first === 0x6e && end - start === 4) return null;
    try {
      return JSON.parse(buffer.toString('utf8', start, end));
    } catch {
      throw unreadable;
    }
  }
}

const keyResult = { code: -1, end: 0 };
const walker = new LineWalker();
