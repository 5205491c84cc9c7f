import { detectGasTown, isJsonObject, stringField, WarningLog, type JsonObject, type ReadFileOptions, type SessionHead, type SourceEvent, type SourceFile } from '@forge/reader-kit';
import { SESSION_SCHEMA_VERSION, addUsage, emptyUsage, type Message, type SessionWarning } from '@forge/schema';
import type Database from 'better-sqlite3';
import { mapOpencodeMessage, type StoredMessage } from './map-opencode-message.js';
import { openDatabaseCopy } from './open-database-copy.js';

interface SessionRow {
  id: string;
  parent_id: string | null;
  directory: string;
  title: string;
  version: string;
  agent: string | null;
  revert: string | null;
  time_created: number;
  time_updated: number;
}

interface MessagePartRow {
  id: string;
  time_created: number;
  data: string;
  part_id: string | null;
  part_data: string | null;
}

const fileWarning = (file: SourceFile, kind: SessionWarning['kind'], message: string): SourceEvent => ({ kind: 'file-warning', warning: { file: file.path, kind, message } });

/** `CASE` keeps `json_extract` off rows whose `data` is not JSON (it would abort the whole query). */
const jsonField = (column: string, path: string): string => `CASE WHEN json_valid(${column}) THEN json_extract(${column}, '${path}') END`;

function parseObject(text: string, what: string, warnings: WarningLog): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (isJsonObject(value)) return value;
  } catch {
    // Reported below.
  }
  warnings.add('invalid-json', `${what}: its data is not a JSON object (skipped)`);
  return undefined;
}

/**
 * Which session each message first appeared in, by role and creation time: `opencode run --fork`
 * copies a session's messages (new ids, the same times and data) into a new session with no link
 * back (opencode.md §5). A session whose leading messages appeared first elsewhere is a fork.
 */
function firstOwners(database: Database.Database): Map<string, string> {
  const owners = new Map<string, string>();
  const rows = database
    .prepare(`SELECT m.session_id AS session_id, m.time_created AS time_created, ${jsonField('m.data', '$.role')} AS role FROM message m JOIN session s ON s.id = m.session_id ORDER BY s.time_created, s.id, m.time_created, m.id`)
    .iterate() as IterableIterator<{ session_id: string; time_created: number; role: string | null }>;
  for (const row of rows) {
    const key = `${row.role ?? ''}@${row.time_created}`;
    if (!owners.has(key)) owners.set(key, row.session_id);
  }
  return owners;
}

/** The `task` tool call that started each subagent session (its metadata names the child session). */
function spawningCalls(database: Database.Database): Map<string, string> {
  const calls = new Map<string, string>();
  const rows = database
    .prepare(`SELECT ${jsonField('data', '$.state.metadata.sessionId')} AS child, ${jsonField('data', '$.callID')} AS call FROM part WHERE ${jsonField('data', '$.tool')} = 'task'`)
    .all() as Array<{ child: unknown; call: unknown }>;
  for (const row of rows) if (typeof row.child === 'string' && typeof row.call === 'string') calls.set(row.child, row.call);
  return calls;
}

/** The session's messages with their parts, in OpenCode's order (creation time, then id). */
function* storedMessages(database: Database.Database, sessionId: string, warnings: WarningLog): Generator<StoredMessage> {
  const rows = database
    .prepare('SELECT m.id AS id, m.time_created AS time_created, m.data AS data, p.id AS part_id, p.data AS part_data FROM message m LEFT JOIN part p ON p.message_id = m.id WHERE m.session_id = ? ORDER BY m.time_created, m.id, p.id')
    .iterate(sessionId) as IterableIterator<MessagePartRow>;
  let current: StoredMessage | undefined;
  let skipping: string | undefined;
  for (const row of rows) {
    if (row.id !== current?.id && row.id !== skipping) {
      if (current != null) yield current;
      current = undefined;
      skipping = undefined;
      const info = parseObject(row.data, `message ${row.id}`, warnings);
      if (info == null) skipping = row.id;
      else current = { id: row.id, info, parts: [], timeCreated: row.time_created };
    }
    if (current == null || row.part_id == null || row.part_data == null) continue;
    const part = parseObject(row.part_data, `part ${row.part_id} of message ${row.id}`, warnings);
    if (part != null) current.parts.push({ id: row.part_id, data: part });
  }
  if (current != null) yield current;
}

function revertPoint(row: SessionRow): string | undefined {
  if (row.revert == null) return undefined;
  try {
    const revert: unknown = JSON.parse(row.revert);
    return isJsonObject(revert) ? stringField(revert, 'messageID') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every session of an OpenCode database as a stream (opencode.md §2–§5), oldest first: each
 * session's messages, then its head. The database is read from a private copy, never in place.
 * A fork's copied messages stay with the session they were copied from; a reverted tail (`revert`,
 * not yet cleaned up by OpenCode) is left out.
 */
export async function* readOpencodeDatabase(file: SourceFile, _options: ReadFileOptions = {}): AsyncGenerator<SourceEvent> {
  let copy;
  try {
    copy = await openDatabaseCopy(file.path);
  } catch (error) {
    yield fileWarning(file, 'unreadable-file', `cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  try {
    const { database } = copy;
    const tables = new Set((database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((row) => row.name));
    if (!['session', 'message', 'part'].every((table) => tables.has(table))) {
      yield fileWarning(file, 'not-a-session', 'no session, message and part tables: not an OpenCode database');
      return;
    }
    const owners = firstOwners(database);
    const calls = spawningCalls(database);
    const sessions = database
      .prepare('SELECT id, parent_id, directory, title, version, agent, revert, time_created, time_updated FROM session ORDER BY time_created, id')
      .all() as SessionRow[];
    for (const row of sessions) {
      const warnings = new WarningLog(file.path);
      const revertAt = revertPoint(row);
      let forkedFrom: string | undefined;
      let pastCopies = false;
      const kept: Message[] = [];
      for (const stored of storedMessages(database, row.id, warnings)) {
        if (stored.id === revertAt) break;
        if (!pastCopies) {
          const owner = owners.get(`${stringField(stored.info, 'role') ?? ''}@${stored.timeCreated}`);
          if (owner != null && owner !== row.id) {
            forkedFrom ??= owner;
            continue;
          }
          pastCopies = true;
        }
        for (const message of mapOpencodeMessage(stored, warnings)) {
          kept.push(message);
          yield { kind: 'message', sessionId: row.id, message };
        }
      }
      if (revertAt != null) warnings.add('other', `session ${row.id} was reverted to message ${revertAt}; the reverted messages are left out`);
      yield { kind: 'session', session: headOf(file, row, kept, warnings, { forkedFrom, spawningCall: calls.get(row.id) }) };
    }
  } finally {
    await copy.close();
  }
}

function headOf(file: SourceFile, row: SessionRow, messages: Message[], warnings: WarningLog, links: { forkedFrom: string | undefined; spawningCall: string | undefined }): SessionHead {
  const models: string[] = [];
  let usage = emptyUsage();
  for (const message of messages) {
    if (message.model != null && !models.includes(message.model)) models.push(message.model);
    if (message.usage != null) usage = addUsage(usage, message.usage);
  }
  const startedAt = new Date(row.time_created).toISOString();
  const head: SessionHead = {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id: row.id,
    source: 'opencode',
    sourceVersion: row.version,
    files: [file.path],
    cwd: row.directory,
    startedAt,
    endedAt: new Date(Math.max(row.time_updated, row.time_created)).toISOString(),
    title: row.title,
    models,
    branch: { leafId: messages.at(-1)?.sourceIds?.[0] ?? null, isActive: true },
    isSubagent: row.parent_id != null,
    usage,
    warnings: warnings.list(),
  };
  if (row.parent_id != null) {
    head.parent = links.spawningCall == null ? { sessionId: row.parent_id } : { sessionId: row.parent_id, toolCallId: links.spawningCall };
    if (row.agent != null) head.agent = { type: row.agent };
  } else if (links.forkedFrom != null) {
    head.parent = { sessionId: links.forkedFrom };
  }
  const firstPrompt = messages.find((message) => message.role === 'user' && (message.provenance === 'conversation' || message.provenance === 'gastown-beacon'));
  const gastown = detectGasTown(firstPrompt == null ? { cwd: row.directory } : { cwd: row.directory, firstUserText: firstPrompt.text });
  if (gastown != null) head.gastown = gastown;
  return head;
}
