import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { detectGasTown, emptyOrUnreadable, isJsonObject, readJsonLineBatches, WarningLog, type ReadFileOptions, type SessionHead, type SourceEvent, type SourceFile } from '@forge/reader-kit';
import { SESSION_SCHEMA_VERSION, addUsage, emptyUsage, type Message, type SessionWarning } from '@forge/schema';
import { ConversationLog } from './conversation-log.js';
import { type GeminiFileKind } from './discover-gemini-sessions.js';
import { mapCheckpointContent, mapGeminiRecord } from './map-gemini-records.js';

/** Whole-JSON files (pre-JSONL chats, saved chats) larger than this are not parsed in one piece. */
const maxWholeJsonBytes = 256 * 1024 * 1024;

const fileWarning = (file: SourceFile, kind: SessionWarning['kind'], message: string): SourceEvent => ({ kind: 'file-warning', warning: { file: file.path, kind, message } });

/** The kind of a file, from discovery's hint or (a file the user named) its name and place. */
export function geminiFileKind(file: SourceFile): GeminiFileKind {
  const hinted = file.hints?.kind;
  if (hinted === 'chat' || hinted === 'subagent' || hinted === 'checkpoint') return hinted;
  const name = basename(file.path);
  if (name.startsWith('checkpoint-') && name.endsWith('.json')) return 'checkpoint';
  return name.startsWith('session-') ? 'chat' : 'subagent';
}

function hint(file: SourceFile, key: string): string | undefined {
  const value = file.hints?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Session totals and head fields every Gemini session shares. */
function headOf(file: SourceFile, id: string, messages: Message[], warnings: WarningLog, times: { startedAt: string; endedAt: string }, cwd: string): SessionHead {
  const models: string[] = [];
  let usage = emptyUsage();
  for (const message of messages) {
    if (message.model != null && !models.includes(message.model)) models.push(message.model);
    if (message.usage != null) usage = addUsage(usage, message.usage);
  }
  const head: SessionHead = {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id,
    source: 'gemini',
    files: [file.path],
    cwd,
    startedAt: times.startedAt,
    endedAt: times.endedAt,
    models,
    branch: { leafId: messages.at(-1)?.sourceIds?.[0] ?? null, isActive: true },
    isSubagent: false,
    usage,
    warnings: warnings.list(),
  };
  const firstPrompt = messages.find((message) => message.role === 'user' && (message.provenance === 'conversation' || message.provenance === 'gastown-beacon'));
  const gastown = detectGasTown(firstPrompt == null ? { cwd } : { cwd, firstUserText: firstPrompt.text });
  if (gastown != null) head.gastown = gastown;
  return head;
}

async function readWholeJson(file: SourceFile): Promise<{ value: unknown } | { problem: string }> {
  const size = (await stat(file.path)).size;
  if (size > maxWholeJsonBytes) return { problem: `a ${size}-byte JSON document is too large to read in one piece (skipped)` };
  try {
    return { value: JSON.parse(await readFile(file.path, 'utf8')) as unknown };
  } catch (error) {
    return { problem: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function* readChat(file: SourceFile, kind: GeminiFileKind, options: ReadFileOptions): AsyncGenerator<SourceEvent> {
  const warnings = new WarningLog(file.path);
  const log = new ConversationLog(warnings);
  if (file.path.endsWith('.json')) {
    // Before 0.2x a chat was one pretty-printed JSON ConversationRecord, rewritten on every message.
    const whole = await readWholeJson(file);
    if ('problem' in whole) {
      yield fileWarning(file, 'invalid-json', whole.problem);
      return;
    }
    log.add(whole.value, 1);
  } else {
    for await (const batch of readJsonLineBatches(file.path, options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes })) {
      for (const line of batch) {
        if (line.kind === 'value') log.add(line.value, line.lineNumber);
        else if (line.kind === 'too-long') warnings.add('line-too-long', `line of ${line.bytes} bytes is longer than the limit (skipped)`, line.lineNumber);
        else warnings.add(line.truncated ? 'truncated-line' : 'invalid-json', line.truncated ? 'the last line is cut off (Gemini CLI was still writing)' : `not JSON: ${line.message}`, line.lineNumber);
      }
    }
  }
  const metadata = log.metadata;
  if (metadata.sessionId == null) {
    yield fileWarning(file, 'not-a-session', 'no session record (sessionId, projectHash): not a Gemini CLI chat');
    return;
  }
  const messages = [...log.messages.entries()].flatMap(([id, { record, line }]) => mapGeminiRecord(record, { id, line }, warnings));
  if (!messages.some((message) => message.role === 'assistant' || (message.role === 'user' && message.provenance !== 'harness'))) {
    // Gemini CLI opens a file at start-up (and again when it resumes another one); without a prompt it is not a conversation.
    yield fileWarning(file, 'empty-file', 'no conversation in the chat file (only Gemini CLI start-up context)');
    return;
  }
  const sessionId = metadata.sessionId;
  for (const message of messages) yield { kind: 'message', sessionId, message };
  const firstTime = messages.find((message) => message.timestamp != null)?.timestamp;
  const lastTime = messages.findLast((message) => message.timestamp != null)?.timestamp;
  const startedAt = metadata.startTime ?? firstTime ?? new Date(file.mtimeMs).toISOString();
  const cwd = hint(file, 'cwd') || (metadata.directories?.[0] ?? '');
  const head = headOf(file, sessionId, messages, warnings, { startedAt, endedAt: metadata.lastUpdated ?? lastTime ?? startedAt }, cwd);
  if (metadata.summary != null) head.title = metadata.summary;
  if (kind === 'subagent' || metadata.kind === 'subagent') {
    head.isSubagent = true;
    head.parent = { sessionId: hint(file, 'parentSessionId') ?? basename(dirname(file.path)) };
  }
  yield { kind: 'session', session: head };
}

async function* readCheckpoint(file: SourceFile): AsyncGenerator<SourceEvent> {
  const whole = await readWholeJson(file);
  if ('problem' in whole) {
    yield fileWarning(file, 'invalid-json', whole.problem);
    return;
  }
  // `{ history: Content[], authType }`, or (older) the Content[] alone.
  const history = Array.isArray(whole.value) ? whole.value : isJsonObject(whole.value) && Array.isArray(whole.value.history) ? whole.value.history : undefined;
  if (history == null) {
    yield fileWarning(file, 'not-a-session', 'no `history` list: not a Gemini CLI saved chat');
    return;
  }
  const warnings = new WarningLog(file.path);
  const callNames = new Map<string, string>();
  const messages: Message[] = [];
  (history as unknown[]).forEach((content, index) => {
    if (isJsonObject(content)) messages.push(...mapCheckpointContent(content, index, callNames));
    else warnings.add('invalid-record', `history entry ${index} is not a Content object (skipped)`);
  });
  const tag = basename(file.path, '.json').slice('checkpoint-'.length);
  const id = `${basename(dirname(file.path))}/checkpoint-${tag}`;
  for (const message of messages) yield { kind: 'message', sessionId: id, message };
  const savedAt = new Date(file.mtimeMs || (await stat(file.path)).mtimeMs).toISOString();
  const head = headOf(file, id, messages, warnings, { startedAt: savedAt, endedAt: savedAt }, hint(file, 'cwd') ?? '');
  head.title = decodeURIComponent(tag);
  yield { kind: 'session', session: head };
}

/**
 * One Gemini CLI file's session as a stream (gemini-cli.md §2–§5): a recorded chat (JSONL, or the
 * older whole-JSON record) replayed like Gemini CLI replays it, a subagent's chat, or a saved chat
 * (`/chat save`). Bad lines become warnings; a file with nothing to read becomes one file warning.
 */
export async function* readGeminiFile(file: SourceFile, options: ReadFileOptions = {}): AsyncGenerator<SourceEvent> {
  const problem = await emptyOrUnreadable(file);
  if (problem != null) {
    yield problem;
    return;
  }
  const kind = geminiFileKind(file);
  if (kind === 'checkpoint') yield* readCheckpoint(file);
  else yield* readChat(file, kind, options);
}

