import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, keyCode, keyTable, OPEN_BRACE, OPEN_BRACKET, QUOTE, skipJsonSpace } from './json-bytes.js';
import { spawnsSubagent } from './claude-line.js';
import { skipJsonValue } from './scan-claude-line.js';

/**
 * The usage path (`detail: 'summary'`) parses a tool result's line without what no summary reads.
 * Most of a transcript's bytes are tool results: the `content` the model saw and the structured
 * `toolUseResult` twin, which `toConversationLine` lets go of right after `JSON.parse` built them
 * (`dropSummaryDetail`: the rule; this only saves its work). Here they are cut out of the line's
 * text before it is parsed, replaced by what `dropSummaryDetail` leaves (`""`, `null`), so they are
 * never decoded, parsed or allocated: a tool result's line costs half of what parsing it whole
 * does (measured on the stats bench corpus). The line's structure is walked only as deep as those
 * values (top level, `message`, the blocks of `message.content`); every byte that stays is checked
 * by `JSON.parse`, and a cut value's grammar by `skipJsonValue`, which jumps over its strings
 * without checking their escapes: a bad escape inside a cut string (JSON writers never leave one;
 * a torn line ends inside a value, and is caught) is the one damage that reads here and not whole.
 * An assistant line's tool call input (but a Task/Agent call's, whose prompt links its sidechain),
 * thinking text and signature are cut too, replaced by what `dropSummaryDetail` leaves (`{}`,
 * `"…"`; the signature it drops): a third of the assistant lines' bytes on the stats bench
 * corpus. Other lines are parsed whole.
 */


/** Thrown inside the walk when it cannot follow the bytes: the caller parses the whole line. */
const unfollowable = new Error('line the summary walk cannot follow');

/** A value to replace: `[start, end)` of the line's bytes and what goes there. */
interface Cut {
  start: number;
  end: number;
  replacement: string;
}

/** The keys the walk looks at, by code. */
const Key = { Other: 0, Type: 1, Message: 2, ToolUseResult: 3, Content: 4, Input: 5, Name: 6, Thinking: 7, Signature: 8 } as const;

const keys = keyTable([
  ['type', Key.Type],
  ['message', Key.Message],
  ['toolUseResult', Key.ToolUseResult],
  ['content', Key.Content],
  ['input', Key.Input],
  ['name', Key.Name],
  ['thinking', Key.Thinking],
  ['signature', Key.Signature],
]);

/** A content block's type, as far as the cut cares. */
const BlockType = { Other: 0, ToolResult: 1, ToolUse: 2, Thinking: 3 } as const;

/** A content block's members the cut depends on (read to the block's end: keys come in any order). */
interface BlockWalk {
  type: number;
  /** Its `name` is `Task` or `Agent`: the call spawns a subagent, and its input (the prompt) is kept. */
  spawns: boolean;
  content: Cut | undefined;
  input: Cut | undefined;
  thinking: Cut | undefined;
  signature: Cut | undefined;
}

/** The line's `type`, as far as the cut cares. */
const LineType = { Other: 0, User: 1, Assistant: 2 } as const;

/**
 * The text of the line at `buffer[start, end)` with what no summary reads cut out, or undefined
 * when it is cheaper or safer to parse the whole line (nothing to cut, or bytes the walk cannot
 * follow: the caller's `JSON.parse` then decides, and words its error as for any line).
 */
export function summaryLineText(buffer: Buffer, start: number, end: number): string | undefined {
  walk.buffer = buffer;
  walk.end = end;
  try {
    const cuts = walk.line(start);
    if (cuts.length === 0) return undefined;
    let text = '';
    let from = start;
    for (const cut of cuts) {
      text += buffer.toString('utf8', from, cut.start) + cut.replacement;
      from = cut.end;
    }
    return text + buffer.toString('utf8', from, end);
  } catch (error) {
    if (error === unfollowable) return undefined;
    throw error;
  } finally {
    walk.buffer = empty;
  }
}

const empty = Buffer.alloc(0);

class SummaryWalk {
  buffer: Buffer = empty;
  end = 0;

  /** The cuts of one line, in byte order. */
  line(start: number): Cut[] {
    const { buffer } = this;
    let position = this.space(start);
    if (buffer[position] !== OPEN_BRACE) throw unfollowable;
    let lineType: number = LineType.Other;
    let toolUseResult: Cut | undefined;
    let blocks: BlockWalk[] = [];
    position = this.space(position + 1);
    if (buffer[position] !== CLOSE_BRACE) {
      for (;;) {
        const { code, end: keyEnd } = this.key(position);
        const valueStart = this.space(keyEnd);
        let valueEnd: number;
        if (code === Key.Message) {
          // JSON.parse keeps the last of repeated keys; so does this.
          blocks = [];
          valueEnd = this.message(valueStart, blocks);
        } else {
          valueEnd = this.skip(valueStart);
          if (code === Key.Type) lineType = this.isString(valueStart, valueEnd, 'user') ? LineType.User : this.isString(valueStart, valueEnd, 'assistant') ? LineType.Assistant : LineType.Other;
          else if (code === Key.ToolUseResult) toolUseResult = { start: valueStart, end: valueEnd, replacement: 'null' };
        }
        position = this.space(valueEnd);
        if (buffer[position] === COMMA) {
          position = this.space(position + 1);
          continue;
        }
        if (buffer[position] !== CLOSE_BRACE) throw unfollowable;
        break;
      }
    }
    if (this.space(position + 1) !== this.end) throw unfollowable;
    const cuts: Cut[] = [];
    if (lineType === LineType.User) {
      for (const block of blocks) if (block.type === BlockType.ToolResult && block.content != null) cuts.push(block.content);
      if (toolUseResult != null) cuts.push(toolUseResult);
    } else if (lineType === LineType.Assistant) {
      for (const block of blocks) {
        if (block.type === BlockType.ToolUse && !block.spawns && block.input != null) cuts.push(block.input);
        else if (block.type === BlockType.Thinking) {
          if (block.thinking != null) cuts.push(block.thinking);
          if (block.signature != null) cuts.push(block.signature);
        }
      }
    }
    return cuts.length > 1 ? cuts.sort((left, right) => left.start - right.start) : cuts;
  }

  /** `message`: the blocks of its `content` array (a repeated `content` replaces them). */
  private message(position: number, blocks: BlockWalk[]): number {
    const { buffer } = this;
    if (buffer[position] !== OPEN_BRACE) return this.skip(position);
    position = this.space(position + 1);
    if (buffer[position] === CLOSE_BRACE) return position + 1;
    for (;;) {
      const { code, end: keyEnd } = this.key(position);
      const valueStart = this.space(keyEnd);
      let valueEnd: number;
      if (code === Key.Content) {
        blocks.length = 0;
        valueEnd = buffer[valueStart] === OPEN_BRACKET ? this.content(valueStart, blocks) : this.skip(valueStart);
      } else valueEnd = this.skip(valueStart);
      position = this.space(valueEnd);
      if (buffer[position] === CLOSE_BRACE) return position + 1;
      if (buffer[position] !== COMMA) throw unfollowable;
      position = this.space(position + 1);
    }
  }

  private content(position: number, blocks: BlockWalk[]): number {
    const { buffer } = this;
    position = this.space(position + 1);
    if (buffer[position] === CLOSE_BRACKET) return position + 1;
    for (;;) {
      position = this.space(buffer[position] === OPEN_BRACE ? this.block(position, blocks) : this.skip(position));
      if (buffer[position] === CLOSE_BRACKET) return position + 1;
      if (buffer[position] !== COMMA) throw unfollowable;
      position = this.space(position + 1);
    }
  }

  private block(position: number, blocks: BlockWalk[]): number {
    const { buffer } = this;
    const block: BlockWalk = { type: BlockType.Other, spawns: false, content: undefined, input: undefined, thinking: undefined, signature: undefined };
    blocks.push(block);
    position = this.space(position + 1);
    if (buffer[position] === CLOSE_BRACE) return position + 1;
    for (;;) {
      const { code, end: keyEnd } = this.key(position);
      const valueStart = this.space(keyEnd);
      const valueEnd = this.skip(valueStart);
      if (code === Key.Type) block.type = this.blockType(valueStart, valueEnd);
      else if (code === Key.Name) block.spawns = this.spawnsSubagent(valueStart, valueEnd);
      else if (code === Key.Content) block.content = { start: valueStart, end: valueEnd, replacement: '""' };
      else if (code === Key.Input) block.input = { start: valueStart, end: valueEnd, replacement: '{}' };
      // `dropSummaryDetail` keeps an empty or null thinking as it is, and makes any other one `…`.
      else if (code === Key.Thinking) block.thinking = this.isEmptyOrNull(valueStart, valueEnd) ? undefined : { start: valueStart, end: valueEnd, replacement: '"…"' };
      else if (code === Key.Signature) block.signature = { start: valueStart, end: valueEnd, replacement: '""' };
      position = this.space(valueEnd);
      if (buffer[position] === CLOSE_BRACE) return position + 1;
      if (buffer[position] !== COMMA) throw unfollowable;
      position = this.space(position + 1);
    }
  }

  /** Whether the string at `[start, end)` names a tool that spawns a subagent (the reader's own rule, `spawnsSubagent`). */
  private spawnsSubagent(start: number, end: number): boolean {
    if (this.buffer[start] !== QUOTE) return false;
    const name = this.hasBackslash(start, end) ? this.decode(start, end) : this.buffer.toString('utf8', start + 1, end - 1);
    return typeof name === 'string' && spawnsSubagent(name);
  }

  private blockType(start: number, end: number): number {
    if (this.isString(start, end, 'tool_result')) return BlockType.ToolResult;
    if (this.isString(start, end, 'tool_use')) return BlockType.ToolUse;
    return this.isString(start, end, 'thinking') ? BlockType.Thinking : BlockType.Other;
  }

  /** Whether the value at `[start, end)` is `""` or `null` (a string with escapes is never empty). */
  private isEmptyOrNull(start: number, end: number): boolean {
    return (end - start === 2 && this.bytesAre(start, '""')) || (end - start === 4 && this.bytesAre(start, 'null'));
  }

  /** A member's key (its code in `Key`; `Key.Other` for one the cut does not look at) and the position after its colon. */
  private key(position: number): { code: number; end: number } {
    const { buffer } = this;
    if (buffer[position] !== QUOTE) throw unfollowable;
    const close = buffer.indexOf(QUOTE, position + 1);
    if (close === -1 || close >= this.end) throw unfollowable;
    const code = Math.max(Key.Other, keyCode(buffer, position + 1, close, keys));
    // A key spelled with escapes (or a quote in it) may decode to one the walk looks at: JSON.parse reads the whole line.
    if (code === Key.Other && this.hasBackslash(position + 1, close)) throw unfollowable;
    const colon = this.space(close + 1);
    if (buffer[colon] !== COLON) throw unfollowable;
    keyResult.code = code;
    keyResult.end = colon + 1;
    return keyResult;
  }

  /** Whether the bytes at `position` are the ASCII `text`'s (no string is made). */
  private bytesAre(position: number, text: string): boolean {
    for (let index = 0; index < text.length; index += 1) if (this.buffer[position + index] !== text.charCodeAt(index)) return false;
    return true;
  }

  private hasBackslash(start: number, end: number): boolean {
    const found = this.buffer.indexOf(BACKSLASH, start);
    return found !== -1 && found < end;
  }

  /** Whether the value at `[start, end)` is the string `literal`, as JSON.parse reads it (one spelled with escapes is decoded). */
  private isString(start: number, end: number, literal: string): boolean {
    const { buffer } = this;
    if (buffer[start] !== QUOTE) return false;
    if (end - start - 2 === literal.length && this.bytesAre(start + 1, literal)) return true;
    return this.hasBackslash(start, end) && this.decode(start, end) === literal;
  }

  private decode(start: number, end: number): unknown {
    try {
      return JSON.parse(this.buffer.toString('utf8', start, end));
    } catch {
      throw unfollowable;
    }
  }

  private space(position: number): number {
    return skipJsonSpace(this.buffer, position, this.end);
  }

  /** The position after the value at `position`, its grammar checked and its strings jumped over (`skipJsonValue`). */
  private skip(position: number): number {
    const after = skipJsonValue(this.buffer, position, this.end, { checkEscapes: false });
    if (after === -1) throw unfollowable;
    return after;
  }
}

const keyResult = { code: 0, end: 0 };
const walk = new SummaryWalk();
