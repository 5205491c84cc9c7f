import { readLines } from '@forge/reader-kit';
import { type Message, type Session } from '@forge/schema';
import {
  addTaskSpawns,
  fileParentSessionId,
  firstPromptLine,
  LineFacts,
  MessageTally,
  orphanWarnings,
  planFirstSession,
  planSidechain,
  selectionWarnings,
  sessionRecord,
  sidechainLeaves,
  type SessionPlan,
  type TaskSpawn,
} from './build-sessions.js';
import { isObject, lineText, toConversationLine, type ConversationLine } from './claude-line.js';
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
  const buildOptions = await buildOptionsFor(path, fileTime, {});
  const reader = new LineReader(path, maxLineBytes);
  let sessions = 0;
  const first = planFirstSession(contents, buildOptions);
  const spawns: TaskSpawn[] = [];
  if (first != null) {
    yield* streamPlan(contents, first, reader, spawns);
    sessions += 1;
  }
  if (buildOptions.agentId == null) {
    const parentSessionId = first?.options.id ?? fileParentSessionId(contents);
    for (const [rootUuid, leaf] of sidechainLeaves(contents, undefined)) {
      const root = contents.byUuid.get(rootUuid);
      const prompt = root == null ? undefined : lineText((await reader.one(root)) ?? root);
      yield* streamPlan(contents, planSidechain(contents, rootUuid, leaf, { spawns, parentSessionId, prompt }, buildOptions), reader, []);
      sessions += 1;
    }
  }
  if (sessions === 0 && options.onWarning != null) for (const warning of orphanWarnings(contents)) options.onWarning(warning);
}

async function* streamPlan(contents: ClaudeFileContents, plan: SessionPlan, reader: LineReader, spawns: TaskSpawn[]): AsyncGenerator<ClaudeSessionEvent> {
  const { selection, options } = plan;
  const warnings = selectionWarnings(contents, selection);
  const promptLine = options.isSubagent ? firstPromptLine(selection) : undefined;
  const warmup = promptLine != null && isWarmupPrompt(lineText((await reader.one(promptLine)) ?? promptLine) ?? '');
  const stream = new MessageStream(selection.lines, warnings, { warmup });
  const tally = new MessageTally();
  const facts = new LineFacts();
  const sessionId = options.id;
  for await (const line of reader.many(selection.lines)) {
    facts.add(line);
    for (const message of stream.push(line)) {
      tally.add(message);
      addTaskSpawns(message, spawns);
      yield { kind: 'message', sessionId, message };
    }
  }
  for (const message of stream.finish()) {
    tally.add(message);
    addTaskSpawns(message, spawns);
    yield { kind: 'message', sessionId, message };
  }
  const session: Partial<Session> = sessionRecord(contents, selection, options, { warnings, tally, facts, provisionalResponses: stream.provisionalResponses, messages: [] });
  delete session.messages;
  yield { kind: 'session', session: session as Omit<Session, 'messages'> };
}

/** Pass 2: full lines again from index lines, by byte offset. */
class LineReader {
  constructor(
    private readonly path: string,
    private readonly maxLineBytes: number | undefined,
  ) {}

  /** The full line behind one index line; undefined if the file changed under us. */
  async one(line: ConversationLine): Promise<ConversationLine | undefined> {
    for await (const full of this.many([line])) return full;
    return undefined;
  }

  /** The full lines behind index lines sorted by file order, reading the file once from the first. */
  async *many(lines: readonly ConversationLine[]): AsyncGenerator<ConversationLine> {
    const first = lines[0];
    if (first?.byteOffset == null) return;
    let next = 0;
    const readOptions = { start: first.byteOffset, ...(this.maxLineBytes == null ? {} : { maxLineBytes: this.maxLineBytes }) };
    for await (const raw of readLines(this.path, readOptions)) {
      const wanted = lines[next];
      if (wanted == null) return;
      if (raw.byteOffset !== wanted.byteOffset) continue;
      next += 1;
      const full = parseAgain(raw.text, wanted);
      if (full != null) yield full;
      if (next >= lines.length) return;
    }
  }
}

function parseAgain(text: string, wanted: ConversationLine): ConversationLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const full = toConversationLine(value, wanted.type, wanted.order, wanted.lineNumber);
  if (full != null) full.byteOffset = wanted.byteOffset;
  return full;
}
