import { readLineBatches, type WarningLog } from '@forge/reader-kit';
import { type Message, type Session } from '@forge/schema';
import {
  addTaskSpawns,
  fileParentSessionId,
  firstPromptRow,
  LineFacts,
  MessageTally,
  orphanWarnings,
  planFirstSession,
  planSidechain,
  selectionWarnings,
  sessionRecord,
  sessionTitle,
  type BuildSessionsOptions,
  linkSidechain,
  sidechainLeaves,
  type SessionPlan,
  type TaskSpawn,
} from './build-sessions.js';
import { isObject, lineText, toConversationLine, type ConversationLine, type ConversationLineType } from './claude-line.js';
import { LineTable, lineTypes } from './line-table.js';
import { isWarmupPrompt } from './classify-user-text.js';
import { readClaudeFile, type ClaudeFileContents } from './read-claude-file.js';
import { buildOptionsFor, transcriptFacts, type ReadClaudeSessionOptions } from './read-claude-session.js';
import { MessageStream } from './stream-messages.js';

/** Options of `streamClaudeSession`: those of `readClaudeSession`. */
export type StreamClaudeSessionOptions = ReadClaudeSessionOptions;

/**
 * What `streamClaudeSession` yields: each message of a Session as soon as it is final, then the
 * Session itself without its messages (its usage, models and warnings are totals over them).
 */
export type ClaudeSessionEvent = { kind: 'message'; sessionId: string; message: Message } | { kind: 'session'; session: Omit<Session, 'messages'> };

/**
 * `readClaudeSession` for files of any size: the same Sessions and messages, in the same order,
 * with memory bounded by the file's line index and the turn in progress instead of the whole
 * trajectory. Pass 1 streams the file keeping a small index per line (ids, offsets, flags; no
 * content) and selects the trajectories; pass 2 re-reads only their lines, in file order, and
 * hands out each message once it is final. For every Session, its `message` events come first,
 * then one `session` event.
 *
 * @throws ClaudeExtractError when the path is missing or not a file.
 */
export async function* streamClaudeSession(path: string, options: StreamClaudeSessionOptions = {}): AsyncGenerator<ClaudeSessionEvent> {
  const { fileTime, fileBytes } = await transcriptFacts(path);
  const maxLineBytes = options.maxLineBytes;
  const contents = await readClaudeFile(path, { fileBytes, light: true, ...(maxLineBytes == null ? {} : { maxLineBytes }) });
  const buildOptions = buildOptionsFor(path, fileTime, {});
  const reader = new LineReader(path, maxLineBytes);

  const prepared = await prepareAll(contents, buildOptions, reader);
  // The index is most of the memory; pass 2 needs only the prepared sessions.
  contents.table = new LineTable();

  // The main thread's Task/Agent calls that delegated a sidechain's prompt, to link it by. Only
  // those are kept: a long session makes thousands of calls, and most files have no sidechain.
  const prompts = new Set(prepared.flatMap((session, position) => (position > 0 && session.prompt != null ? [session.prompt] : [])));
  const spawns: TaskSpawn[] = [];
  for (const [position, session] of prepared.entries()) {
    if (position > 0) linkSidechain(session.plan, session.prompt, spawns);
    yield* streamPrepared(contents, session, reader, position === 0 && prompts.size > 0 ? { spawns, prompts } : undefined);
  }
  if (prepared.length === 0 && options.onWarning != null) for (const warning of orphanWarnings(contents)) options.onWarning(warning);
}

/** Every Session of the file planned from its index: the main thread (or subagent thread), then inline sidechains. */
async function prepareAll(contents: ClaudeFileContents, buildOptions: BuildSessionsOptions, reader: LineReader): Promise<PreparedSession[]> {
  const prepared: PreparedSession[] = [];
  const first = planFirstSession(contents, buildOptions);
  if (first != null) prepared.push(await prepare(contents, first, reader, undefined));
  if (buildOptions.agentId == null) {
    const parentSessionId = first?.options.id ?? fileParentSessionId(contents);
    for (const [root, leaf] of sidechainLeaves(contents, undefined)) {
      const rootLine = await reader.one(contents.table, root);
      const prompt = rootLine == null ? undefined : lineText(rootLine);
      prepared.push(await prepare(contents, planSidechain(contents, root, leaf, { spawns: [], parentSessionId, prompt }, buildOptions), reader, prompt));
    }
  }
  return prepared;
}

/** A planned Session reduced to what pass 2 needs: where its lines are, and its message stream. */
interface PreparedSession {
  plan: SessionPlan;
  lines: LineAddresses;
  warnings: WarningLog;
  stream: MessageStream;
  title: string | null;
  /** A sidechain's first prompt, to match with the spawning call. */
  prompt: string | undefined;
}

async function prepare(contents: ClaudeFileContents, plan: SessionPlan, reader: LineReader, prompt: string | undefined): Promise<PreparedSession> {
  const { selection, options } = plan;
  const warnings = selectionWarnings(contents, selection);
  const { table } = contents;
  const promptRow = options.isSubagent ? firstPromptRow(contents, selection) : undefined;
  const promptLine = promptRow == null ? undefined : await reader.one(table, promptRow);
  const warmup = promptLine != null && isWarmupPrompt(lineText(promptLine) ?? '');
  const stream = new MessageStream(table, selection.rows, warnings, { warmup });
  const title = sessionTitle(contents, selection, options) ?? null;
  const lines = addressesOf(table, selection.rows);
  return { plan: { selection: { ...selection, rows: new Int32Array(0) }, options }, lines, warnings, stream, title, prompt };
}

async function* streamPrepared(
  contents: ClaudeFileContents,
  session: PreparedSession,
  reader: LineReader,
  linking: { spawns: TaskSpawn[]; prompts: ReadonlySet<string | undefined> } | undefined,
): AsyncGenerator<ClaudeSessionEvent> {
  const keepSpawns = (message: Message): void => {
    if (linking == null || message.toolCalls.length === 0) return;
    const found: TaskSpawn[] = [];
    addTaskSpawns(message, found);
    for (const spawn of found) if (linking.prompts.has(spawn.prompt)) linking.spawns.push(spawn);
  };
  const { plan, stream, warnings, title } = session;
  const tally = new MessageTally();
  const facts = new LineFacts();
  const sessionId = plan.options.id;
  for await (const line of reader.many(session.lines)) {
    facts.add(line);
    for (const message of stream.push(line)) {
      tally.add(message);
      keepSpawns(message);
      yield { kind: 'message', sessionId, message };
    }
  }
  for (const message of stream.finish()) {
    tally.add(message);
    keepSpawns(message);
    yield { kind: 'message', sessionId, message };
  }
  const built = { warnings, tally, facts, provisionalResponses: stream.provisionalResponses, messages: [], title };
  const record: Partial<Session> = sessionRecord(contents, plan.selection, plan.options, built);
  delete record.messages;
  yield { kind: 'session', session: record as Omit<Session, 'messages'> };
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

// Pass 2 reads in small chunks: a chunk's line strings stay alive until its last line is handed
// out, and a smaller batch dies young instead of being promoted to the old generation.
const passTwoChunkBytes = 64 * 1024;

/** Pass 2: full lines again, by byte offset. */
class LineReader {
  constructor(
    private readonly path: string,
    private readonly maxLineBytes: number | undefined,
  ) {}

  /** The full line of one table row; undefined if the file changed under us. */
  async one(table: LineTable, row: number): Promise<ConversationLine | undefined> {
    for await (const full of this.many(addressesOf(table, Int32Array.of(row)))) return full;
    return undefined;
  }

  /** The full lines at these addresses (in file order), reading the file once from the first. */
  async *many(lines: LineAddresses): AsyncGenerator<ConversationLine> {
    const count = lines.byteOffsets.length;
    const start = lines.byteOffsets[0];
    if (start == null || start < 0) return;
    let next = 0;
    const readOptions = { start, chunkBytes: passTwoChunkBytes, ...(this.maxLineBytes == null ? {} : { maxLineBytes: this.maxLineBytes }) };
    for await (const batch of readLineBatches(this.path, readOptions)) {
      for (const raw of batch) {
        if (raw.byteOffset !== lines.byteOffsets[next]) continue;
        const full = parseAgain(raw.text, lineTypes[lines.types[next] ?? 0] ?? 'user', lines.rows[next] ?? 0, lines.lineNumbers[next] ?? 0);
        next += 1;
        if (full != null) yield full;
        if (next >= count) return;
      }
    }
  }
}

function parseAgain(text: string, type: ConversationLineType, order: number, lineNumber: number): ConversationLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isObject(value) ? toConversationLine(value, type, order, lineNumber) : undefined;
}
