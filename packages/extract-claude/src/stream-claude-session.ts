import { rawLineBatchesOf, readRawLineBatches, readSmallFile, SessionTally, WarningLog, type RawLineBatch, type SessionHead, type SourceEvent } from '@forge/reader-kit';
import { type Message } from '@forge/schema';
import { isObject, lineText, toConversationLine, type ConversationLine, type ConversationLineType } from './claude-line.js';
import { ClaudeExtractError } from './claude-extract-error.js';
import { isWarmupPrompt } from './classify-user-text.js';
import { claudeBadLineWording, indexClaudeFile, type ClaudeFileIndex } from './index-claude-file.js';
import { LineTable, lineTypes } from './line-table.js';
import {
  addTaskSpawns,
  fileParentSessionId,
  firstPromptRow,
  LineFacts,
  linkSidechain,
  orphanWarnings,
  planAbandonedBranches,
  planFirstSession,
  planSidechain,
  selectionWarnings,
  sessionRecord,
  sessionTitle,
  sidechainLeaves,
  type BuildSessionsOptions,
  type SessionPlan,
  type TaskSpawn,
} from './plan-sessions.js';
import { buildOptionsFor, transcriptFacts } from './read-claude-session.js';
import { requestShape, type RequestShape } from './request-shape.js';
import { MessageStream } from './stream-messages.js';

/** Options of `streamClaudeSession`. */
export interface StreamClaudeSessionOptions {
  /** `active` (default): the thread the harness would resume. `all`: also every branch a rewind abandoned, each marked not active. */
  branches?: 'active' | 'all';
  /** Lines longer than this are skipped with a `line-too-long` warning. Default: V8's string limit. */
  maxLineBytes?: number;
}

/** What the project-wide reader adds (`claudeCodeSource.readFile`). */
export interface ClaudeFileReadOptions extends StreamClaudeSessionOptions {
  /** Title sessions from this file's own `summary` lines (default true); off when `link` matches them project-wide. */
  titlesFromSummaries?: boolean;
  /** Where this subagent's `.meta.json` is; default: beside the transcript. `null`: there is none. */
  metaPath?: string | null;
  /** Size and mtime already known from discovery: saves a `stat`. */
  known?: { size: number; mtimeMs: number };
  /** A file that cannot be read gives a `file-warning` (`unreadable-file`) instead of throwing. */
  unreadableAsWarning?: boolean;
  /** `summary` (`ReadFileOptions.detail`): no request shape (system prompt, tools) read. */
  detail?: 'full' | 'summary';
  /** Gets the file's bytes when it is read whole (`ReadFileOptions.onWholeRead`). */
  onWholeRead?: (bytes: Buffer) => void;
}

// Files up to WHOLE_FILE_BYTES are read whole, parsed once, and their conversation lines kept for
// pass 2: a few times the file's size in memory, for half the work of parsing twice.
// Pass 2 of a big file reads in small chunks: a chunk's line strings stay alive until its last line
// is handed out, and a smaller batch dies young instead of being promoted to the old generation.
const passTwoChunkBytes = 64 * 1024;

/**
 * THE Claude Code reader: one transcript's Sessions as a stream of events, for files of any size.
 * Pass 1 walks every line's bytes into a small index (ids, offsets, flags; no content) and selects
 * the trajectories: the main thread, or a subagent file's thread, then each inline (1.0.x)
 * sidechain. Pass 2 parses only their lines, in file order, and hands out each message as soon as it
 * is final (`MessageStream`). For each Session: its `message` events, then its `session` event (the
 * Session without messages: usage, models and warnings are totals over them). Then the file's
 * `summary` titles as `link-facts`, and `file-warning`s when the file gave no Session. Memory is
 * bounded by the index and the turn in progress, not by the conversation. `readClaudeSession` is a
 * fold over this.
 *
 * @throws ClaudeExtractError when the path is missing or not a file.
 */
export function streamClaudeSession(path: string, options: StreamClaudeSessionOptions = {}): AsyncGenerator<SourceEvent> {
  return readClaudeEvents(path, options);
}

/** `streamClaudeSession` with the project reader's knobs. */
export async function* readClaudeEvents(path: string, options: ClaudeFileReadOptions = {}): AsyncGenerator<SourceEvent> {
  let opened;
  try {
    opened = await openTranscript(path, options.known, options.onWholeRead);
  } catch (error) {
    if (options.unreadableAsWarning !== true || !ClaudeExtractError.isInstance(error)) throw error;
    yield { kind: 'file-warning', warning: { file: path, kind: 'unreadable-file', message: `cannot read file: ${error.message}` } };
    return;
  }
  const { fileTime, whole } = opened;
  const detail = options.detail ?? 'full';
  const source = new LineSource(path, whole, options.maxLineBytes, detail);
  const index = await indexClaudeFile(path, source.batches(), { keep: source.whole != null, detail });
  const buildOptions = buildOptionsFor(path, fileTime, options);
  const prepared = await prepareAll(index, buildOptions, source, options.branches ?? 'active');
  // A summary prints neither the system prompt nor the tools: the request shape line is not read.
  const offered = options.detail === 'summary' ? {} : await source.requestShape(index);
  // The index is most of the memory; pass 2 needs only the prepared sessions.
  index.table = new LineTable();

  // The main thread's Task/Agent calls that delegated a sidechain's prompt, to link it by. Only
  // those are kept: a long session makes thousands of calls, and most files have no sidechain.
  const prompts = new Set(prepared.flatMap((session) => (session.sidechain && session.prompt != null ? [session.prompt] : [])));
  const spawns: TaskSpawn[] = [];
  for (const [position, session] of prepared.entries()) {
    if (session.sidechain) linkSidechain(session.plan, session.prompt, spawns);
    // The recorded request shape is the file's own thread's (and its branches'); an inline (1.0.x) sidechain had its own.
    const assembly = new SessionAssembly(index, session, position === 0 && prompts.size > 0 ? { spawns, prompts } : undefined, session.sidechain ? {} : offered);
    const sessionId = session.plan.options.id;
    // Kept lines are walked without an await each: this generator is the only async step per event.
    const kept = index.lines;
    if (kept != null) {
      for (const row of session.lines.rows) {
        const line = kept[row];
        if (line != null) for (const message of assembly.add(line)) yield { kind: 'message', sessionId, message };
      }
    } else {
      for await (const line of source.many(index, session.lines, session.warnings)) for (const message of assembly.add(line)) yield { kind: 'message', sessionId, message };
    }
    for (const message of assembly.finish()) yield { kind: 'message', sessionId, message };
    yield { kind: 'session', session: assembly.head() };
  }
  if (index.summaries.size > 0) yield { kind: 'link-facts', facts: { summaries: [...index.summaries] } };
  if (prepared.length === 0) for (const warning of orphanWarnings(index)) yield { kind: 'file-warning', warning };
}

/** The transcript's time, and its bytes when it is small enough to read whole. */
async function openTranscript(path: string, known: ClaudeFileReadOptions['known'], onWholeRead: ClaudeFileReadOptions['onWholeRead']): Promise<{ fileTime: string; whole: Buffer | undefined }> {
  const { fileTime, fileBytes } = await transcriptFacts(path, known);
  try {
    return { fileTime, whole: readSmallFile(path, fileBytes, onWholeRead) };
  } catch (error) {
    throw new ClaudeExtractError({ message: `cannot read Claude Code transcript: ${error instanceof Error ? error.message : String(error)}`, code: 'claude-file-unreadable', location: { file: path }, cause: error });
  }
}

/** Every Session of the file planned from its index: the main thread (or subagent thread), then inline sidechains. */
async function prepareAll(index: ClaudeFileIndex, buildOptions: BuildSessionsOptions, source: LineSource, branches: 'active' | 'all'): Promise<PreparedSession[]> {
  const prepared: PreparedSession[] = [];
  const first = planFirstSession(index, buildOptions);
  if (first != null) {
    prepared.push(await prepare(index, first, source, undefined));
    if (branches === 'all') for (const branch of planAbandonedBranches(index, first)) prepared.push(await prepare(index, branch, source, undefined));
  }
  if (buildOptions.agentId == null) {
    const parentSessionId = first?.options.id ?? fileParentSessionId(index);
    for (const [root, leaf] of sidechainLeaves(index)) {
      const rootLine = await source.one(index, root);
      const prompt = rootLine == null ? undefined : lineText(rootLine);
      prepared.push(await prepare(index, planSidechain(index, root, leaf, { spawns: [], parentSessionId, prompt }, buildOptions), source, prompt, true));
    }
  }
  return prepared;
}

/** A planned Session reduced to what pass 2 needs: where its lines are, and its message stream. */
interface PreparedSession {
  plan: SessionPlan;
  lines: LineAddresses;
  warnings: WarningLog;
  orderWarnings: WarningLog;
  stream: MessageStream;
  title: string | null;
  /** An inline (1.0.x) sidechain: linked to the call that spawned it by its first prompt. */
  sidechain: boolean;
  /** A sidechain's first prompt, to match with the spawning call. */
  prompt: string | undefined;
}

async function prepare(index: ClaudeFileIndex, plan: SessionPlan, source: LineSource, prompt: string | undefined, sidechain = false): Promise<PreparedSession> {
  const { selection, options } = plan;
  const warnings = selectionWarnings(index, selection);
  const orderWarnings = new WarningLog(index.path);
  const { table } = index;
  const promptRow = options.isSubagent ? firstPromptRow(index, selection) : undefined;
  const promptLine = promptRow == null ? undefined : await source.one(index, promptRow);
  const warmup = promptLine != null && isWarmupPrompt(lineText(promptLine) ?? '');
  const stream = new MessageStream(table, selection.rows, { lines: warnings, order: orderWarnings }, { warmup });
  const title = sessionTitle(index, selection, options) ?? null;
  const lines = addressesOf(table, selection.rows);
  return { plan: { selection: { ...selection, rows: new Int32Array(0) }, options }, lines, warnings, orderWarnings, stream, title, sidechain, prompt };
}

/** One prepared Session's messages as its lines come in (synchronous: the caller owns the only async step). */
class SessionAssembly {
  readonly tally = new SessionTally();
  readonly facts = new LineFacts();

  constructor(
    private readonly index: ClaudeFileIndex,
    private readonly session: PreparedSession,
    private readonly linking: { spawns: TaskSpawn[]; prompts: ReadonlySet<string | undefined> } | undefined,
    private readonly offered: RequestShape,
  ) {}

  /** The messages a line makes final. */
  add(line: ConversationLine): Message[] {
    this.facts.add(line);
    return this.take(this.session.stream.push(line));
  }

  /** The messages left when the lines are done. */
  finish(): Message[] {
    return this.take(this.session.stream.finish());
  }

  /** The Session without messages (totals over those handed out). */
  head(): SessionHead {
    const { plan, stream, warnings, orderWarnings, title } = this.session;
    const built = { warnings, orderWarnings, tally: this.tally, facts: this.facts, provisionalResponses: stream.provisionalResponses, title };
    const head = sessionRecord(this.index, plan.selection, plan.options, built);
    if (this.offered.tools != null) head.tools = this.offered.tools;
    if (this.offered.systemPrompt != null) head.systemPrompt = this.offered.systemPrompt;
    return head;
  }

  private take(messages: Message[]): Message[] {
    for (const message of messages) {
      this.tally.add(message);
      const { linking } = this;
      if (linking == null || message.toolCalls.length === 0) continue;
      const found: TaskSpawn[] = [];
      addTaskSpawns(message, found);
      for (const spawn of found) if (linking.prompts.has(spawn.prompt)) linking.spawns.push(spawn);
    }
    return messages;
  }
}

/** Where a trajectory's lines are, in file order: typed arrays, a few bytes a line. */
interface LineAddresses {
  byteOffsets: Float64Array;
  /** Table rows: the `order` of the full lines, as the message stream expects. */
  rows: Int32Array;
  lineNumbers: Int32Array;
  types: Uint8Array;
}

function addressesOf(table: LineTable, rows: Int32Array): LineAddresses {
  const addresses: LineAddresses = {
    byteOffsets: new Float64Array(rows.length),
    rows,
    lineNumbers: new Int32Array(rows.length),
    types: new Uint8Array(rows.length),
  };
  for (let position = 0; position < rows.length; position += 1) {
    const row = rows[position] ?? 0;
    addresses.byteOffsets[position] = table.byteOffsets[row] ?? -1;
    addresses.lineNumbers[position] = table.lineNumbers[row] ?? 0;
    addresses.types[position] = table.types[row] ?? 0;
  }
  return addresses;
}

/** The file's lines: from memory when it was read whole, else streamed again for each pass. */
class LineSource {
  constructor(
    private readonly path: string,
    readonly whole: Buffer | undefined,
    private readonly maxLineBytes: number | undefined,
    private readonly detail: 'full' | 'summary',
  ) {}

  batches(start?: number, chunkBytes?: number): AsyncIterable<RawLineBatch> | Iterable<RawLineBatch> {
    const options = { ...(start == null ? {} : { start }), ...(chunkBytes == null ? {} : { chunkBytes }), ...(this.maxLineBytes == null ? {} : { maxLineBytes: this.maxLineBytes }) };
    return this.whole == null ? readRawLineBatches(this.path, options) : rawLineBatchesOf(this.whole, options);
  }

  /** The system prompt and tools of the request shape the file's requests used last (Claude Code 2.1.3xx). */
  async requestShape(index: ClaudeFileIndex): Promise<RequestShape> {
    const offset = (index.lastRequestShapeHash == null ? undefined : index.shapes.get(index.lastRequestShapeHash)) ?? index.lastShapeOffset;
    if (offset == null) return {};
    for await (const batch of this.batches(offset)) {
      if (batch.count === 0) continue;
      try {
        return requestShape(JSON.parse(batch.text(0)));
      } catch {
        // A shape line that does not parse was reported on pass 1.
        return {};
      }
    }
    return {};
  }

  /** The full line of one table row; undefined if the file changed under us. */
  async one(index: ClaudeFileIndex, row: number): Promise<ConversationLine | undefined> {
    for await (const full of this.many(index, addressesOf(index.table, Int32Array.of(row)))) return full;
    return undefined;
  }

  /**
   * Pass 2: the full lines at these addresses (in file order), reading the file once from the
   * first. A line pass 1 could walk but `JSON.parse` refuses (damage inside a value the walk skips)
   * becomes an `invalid-json` warning and is left out.
   */
  async *many(index: ClaudeFileIndex, lines: LineAddresses, warnings?: WarningLog): AsyncGenerator<ConversationLine> {
    const count = lines.byteOffsets.length;
    const start = lines.byteOffsets[0];
    if (start == null || start < 0) return;
    const kept = index.lines;
    if (kept != null) {
      for (let next = 0; next < count; next += 1) {
        const line = kept[lines.rows[next] ?? 0];
        if (line != null) yield line;
      }
      return;
    }
    let next = 0;
    for await (const batch of this.batches(start, passTwoChunkBytes)) {
      for (let row = 0; row < batch.count; row += 1) {
        if (batch.byteOffset(row) !== lines.byteOffsets[next]) continue;
        const lineNumber = lines.lineNumbers[next] ?? 0;
        const full = parseAgain(batch.text(row), lineTypes[lines.types[next] ?? 0] ?? 'user', lines.rows[next] ?? 0, lineNumber, this.detail, warnings);
        next += 1;
        if (full != null) yield full;
        if (next >= count) return;
      }
    }
  }
}

function parseAgain(text: string, type: ConversationLineType, order: number, lineNumber: number, detail: 'full' | 'summary', warnings: WarningLog | undefined): ConversationLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    warnings?.add('invalid-json', claudeBadLineWording.invalid(error instanceof Error ? error.message : String(error)), lineNumber);
    return undefined;
  }
  return isObject(value) ? toConversationLine(value, type, order, lineNumber, detail) : undefined;
}
