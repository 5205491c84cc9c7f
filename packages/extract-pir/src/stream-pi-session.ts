import { detectGasTown, readRawLineBatches, WarningLog } from '@forge/reader-kit';
import { SESSION_SCHEMA_VERSION, emptyUsage, type Message, type Session } from '@forge/schema';
import { buildSessions } from './build-session.js';
import { EntryIdIndex, GrowableFloat64Array, GrowableInt32Array } from './compact-entry-index.js';
import { isJsonObject, isoTimestamp, stringField, type JsonObject } from './json-fields.js';
import { summaryMessage, type EntrySource } from './map-message.js';
import { detectFlavor, parsePiSessionFile, toNode, type PiFlavor, type PiHeader, readHeader } from './parse-session-file.js';
import { PiSessionError } from './pi-session-error.js';
import { findSubagentParent } from './read-pi-session.js';

/** One item of {@link streamPiSession}: every message of the active branch, then the session summary. */
export type PiSessionStreamItem =
  | { kind: 'message'; message: Message }
  /** Last item: the Session with `messages: []` (totals, models, warnings cover the streamed messages). */
  | { kind: 'session'; session: Session };

/** Options of {@link streamPiSession}. */
export interface StreamPiSessionOptions {
  /** The flavor, when the caller knows it; otherwise read from the file. */
  flavor?: PiFlavor;
}

const KIND_SILENT = 0;
const KIND_MESSAGE = 1;
const KIND_COMPACTION = 2;
const KIND_RESET = 3;
const ROOT = -1;
const UNRESOLVED = -2;

// pir, TS pi and omp all write message entries as {"type":"message","id":…,"parentId":…,"timestamp":…,
// so the tree links of the bulk of the lines are read without JSON.parse on the first pass.
const MESSAGE_PREFIX_BYTES = 256;
// The head is decoded as latin1, so the captures accept ASCII only; anything else is parsed in full.
const MESSAGE_PREFIX = /^\{"type":"message","id":"([^"\\\x80-\xff]+)","parentId":(?:null|"([^"\\\x80-\xff]+)"),"timestamp":"([^"\\\x80-\xff]+)"/u;

interface Compaction {
  summary: string;
  firstKeptEntryId: string | undefined;
  entryId: string;
  line: number;
  timestamp: string | undefined;
}

interface FileIndex {
  header: PiHeader;
  flavor: PiFlavor;
  /** Number of entries. */
  count: number;
  /** Ids are kept only where needed: the last entry's (natural tip) and the persisted leaf's. */
  lastId: string | undefined;
  idIndex: EntryIdIndex;
  parents: GrowableInt32Array;
  offsets: GrowableFloat64Array;
  lines: GrowableInt32Array;
  kinds: Uint8Array;
  levels: GrowableInt32Array;
  levelNames: Array<string | undefined>;
  unresolvedParents: Map<number, { parentId: string; childId: string }>;
  compactions: Map<number, Compaction>;
  /** Time of the last entry and of the entry the header's `leafId` names: the only candidates for endedAt. */
  lastTimestamp: string | undefined;
  leafTimestamp: string | undefined;
  name: string | undefined;
  warnings: WarningLog;
}

/**
 * Reads one pi-family session file in two streaming passes with memory bounded by the longest line
 * plus about 30 bytes per entry: the first pass keeps only each entry's tree links (most lines
 * without JSON.parse), the second parses only the lines on the active branch and yields their
 * messages as it goes, so nothing of the transcript is retained. For multi-GB files; for ordinary
 * ones {@link readPiSession} is simpler. Yields the active branch's messages, then the Session
 * (with `messages: []`).
 *
 * @throws PiSessionError `not-a-pi-session` when the first record is not a session header.
 */
export async function* streamPiSession(path: string, options: StreamPiSessionOptions = {}): AsyncGenerator<PiSessionStreamItem> {
  const omp = options.flavor === 'omp' || path.includes('/.omp/');
  const index = await indexFile(path, omp);
  if (index == null) return;
  if (index === 'legacy') {
    // Legacy v1/v2 files are small and need whole-file migration: read them the ordinary way.
    const file = await parsePiSessionFile(path, omp ? { flavorHint: 'omp' } : {});
    if (file == null) return;
    if (options.flavor != null && options.flavor !== 'omp') file.flavor = options.flavor;
    const legacyParent = file.flavor === 'omp' ? await findSubagentParent(path) : undefined;
    const [session] = buildSessions(file, legacyParent == null ? { branches: 'active' } : { branches: 'active', subagent: legacyParent.link });
    if (session == null) return;
    for (const message of session.messages) yield { kind: 'message', message };
    yield { kind: 'session', session: { ...session, messages: [] } };
    return;
  }
  if (options.flavor != null && options.flavor !== 'omp') index.flavor = options.flavor;
  const parent = index.flavor === 'omp' ? await findSubagentParent(path) : undefined;

  const pathWarnings = new WarningLog(path);
  const { plan, leaf } = contextPlan(index, pathWarnings);
  const usage = emptyUsage();
  const models: string[] = [];
  let firstUserText: string | undefined;
  const lineWarnings = new WarningLog(path);
  let previousResponse: { id: string; entry: number } | undefined;

  const emit = (message: Message, entry: number): Message => {
    if (message.role === 'assistant') {
      const level = index.levelNames[index.levels.get(entry)];
      if (level != null) message.thinkingLevel = level;
      if (message.model != null && !models.includes(message.model)) models.push(message.model);
      const responseId = message.sourceIds?.[1];
      if (responseId != null && previousResponse?.id === responseId && index.parents.get(entry) === previousResponse.entry) delete message.usage;
      previousResponse = responseId == null ? undefined : { id: responseId, entry };
    }
    if (message.usage != null) {
      usage.input += message.usage.input;
      usage.output += message.usage.output;
      usage.cacheRead += message.usage.cacheRead;
      usage.cacheWrite += message.usage.cacheWrite;
    }
    if (firstUserText == null && message.role === 'user' && (message.provenance === 'conversation' || message.provenance === 'gastown-beacon')) firstUserText = message.text;
    return message;
  };

  if (plan.summary != null) {
    const compaction = plan.summary;
    const source: EntrySource = { entryId: compaction.entryId, line: compaction.line, timestamp: compaction.timestamp };
    yield { kind: 'message', message: emit(summaryMessage('compaction', compaction.summary, source), -1) };
  }
  if (plan.entries.length > 0) {
    const entries = plan.entries;
    let sorted = true;
    for (let position = 1; position < entries.length && sorted; position += 1) sorted = (entries[position] ?? 0) > (entries[position - 1] ?? 0);
    // Parents come before children in pi files, so the path is in file order and is read in one
    // forward sweep; otherwise the few messages are gathered first and emitted in path order.
    const wanted = sorted ? entries : entries.slice().sort();
    const gathered = sorted ? undefined : new Map<number, Message>();
    let cursor = 0;
    const start = index.offsets.get(wanted[0] ?? 0);
    // Batched reads (one await per 1 MiB chunk); lines off the path are skipped by their offset.
    for await (const batch of readRawLineBatches(path, { start })) {
      for (let row = 0; row < batch.count; row += 1) {
        const entry = wanted[cursor];
        if (entry == null) break;
        // Lines off the path are never decoded.
        if (batch.byteOffset(row) !== index.offsets.get(entry)) continue;
        cursor += 1;
        const message = mapLine(batch.text(row), index, entry, lineWarnings);
        if (message == null) continue;
        if (gathered != null) gathered.set(entry, message);
        // One message at a time: each is garbage once the consumer is done with it (a batch would
        // keep a chunk's worth alive through the next scavenge, which costs more than the async steps).
        else yield { kind: 'message', message: emit(message, entry) };
      }
      if (cursor >= wanted.length) break;
    }
    if (gathered != null) {
      for (const entry of entries) {
        const message = gathered.get(entry);
        if (message != null) yield { kind: 'message', message: emit(message, entry) };
      }
    }
  }

  const gastown = detectGasTown(firstUserText == null ? { cwd: index.header.cwd } : { cwd: index.header.cwd, firstUserText });
  const startedAt = index.header.timestamp ?? new Date(0).toISOString();
  const session: Session = {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id: index.header.id,
    source: index.flavor,
    files: [path],
    cwd: index.header.cwd,
    startedAt,
    endedAt: (leaf < 0 ? undefined : leaf === index.count - 1 ? index.lastTimestamp : index.leafTimestamp) ?? startedAt,
    models,
    branch: { leafId: leaf < 0 ? null : leaf === index.count - 1 ? (index.lastId ?? null) : (index.header.leafId ?? null), isActive: true },
    isSubagent: parent != null,
    usage,
    messages: [],
    warnings: [...index.warnings.list(), ...pathWarnings.list(), ...lineWarnings.list()],
  };
  const levels = [index.header.thinkingLevel, ...index.levelNames].filter((level, position, all): level is string => level != null && all.indexOf(level) === position);
  if (levels.length > 0) session.thinkingLevels = levels;
  if (index.name != null) session.title = index.name;
  if (parent != null) {
    session.parent = { sessionId: parent.link.parentSessionId };
    session.agent = { id: parent.link.agentId };
  }
  if (gastown != null) session.gastown = gastown;
  yield { kind: 'session', session };
}

function mapLine(text: string, index: FileIndex, entry: number, warnings: WarningLog): Message | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Never reached for a valid file: a line that does not parse was warned about and left out of
    // the tree on the first pass. Only a file rewritten between the passes gets here.
    return undefined;
  }
  if (!isJsonObject(value)) return undefined;
  const node = toNode(value, index.lines.get(entry), 3, null, warnings);
  return node.mapped?.message;
}

/**
 * Pass 1: tree links, kinds and levels of every entry; line-level warnings. `legacy` for a v1/v2
 * file (read the ordinary way), undefined for an empty one.
 */
async function indexFile(path: string, omp: boolean): Promise<FileIndex | 'legacy' | undefined> {
  // Message content is only read (and its unknown roles and blocks reported) on the second pass.
  const warnings = new WarningLog(path, { ignore: ['unknown-role', 'unknown-block-type'] });
  let header: PiHeader | undefined;
  let headerValue: JsonObject | undefined;
  let sawTitleSlot = false;
  let titleSlot: string | undefined;
  let flavor: PiFlavor | undefined;
  let sawAnyLine = false;
  let count = 0;
  let lastId: string | undefined;
  const idIndex = new EntryIdIndex();
  const parents = new GrowableInt32Array();
  const offsets = new GrowableFloat64Array();
  const lines = new GrowableInt32Array();
  const levels = new GrowableInt32Array();
  let kinds = new Uint8Array(1024);
  const levelNames: Array<string | undefined> = [undefined];
  const unresolvedParents = new Map<number, { parentId: string; childId: string }>();
  const compactions = new Map<number, Compaction>();
  let lastTimestamp: string | undefined;
  let leafTimestamp: string | undefined;
  let name: string | undefined;

  const levelIndexOf = (level: string | undefined): number => {
    const found = levelNames.indexOf(level);
    if (found !== -1) return found;
    levelNames.push(level);
    return levelNames.length - 1;
  };

  const addEntry = (id: string, parentId: string | null, kind: number, offset: number, lineNumber: number, ownLevel: string | undefined, timestamp: string | undefined): number => {
    const entry = count++;
    if (idIndex.set(id, entry) !== -1) warnings.add('duplicate', `entry id ${id} appears twice; the later line wins`, lineNumber);
    const previousId = lastId;
    lastId = id;
    let parent = ROOT;
    if (parentId != null) {
      // Most entries continue the previous one: no table lookup (a random memory access) for those.
      parent = parentId === previousId && parentId !== id ? entry - 1 : idIndex.get(parentId);
      if (parent === -1) {
        parent = UNRESOLVED;
        unresolvedParents.set(entry, { parentId, childId: id });
      }
    }
    parents.push(parent);
    offsets.push(offset);
    lines.push(lineNumber);
    if (entry === kinds.length) {
      const bigger = new Uint8Array(kinds.length * 2);
      bigger.set(kinds);
      kinds = bigger;
    }
    kinds[entry] = kind;
    const inherited = parent >= 0 ? levels.get(parent) : levelIndexOf(header?.thinkingLevel);
    levels.push(ownLevel == null ? inherited : levelIndexOf(ownLevel));
    lastTimestamp = timestamp;
    if (id === header?.leafId) leafTimestamp = timestamp;
    return entry;
  };

  for await (const batch of readRawLineBatches(path)) {
    for (let row = 0; row < batch.count; row += 1) {
      const lineNumber = batch.lineNumber(row);
      if (batch.tooLong(row)) {
        if (header == null) throw notASession(path, lineNumber, 'the first line is too long to be a session header');
        warnings.add('line-too-long', `line of ${batch.byteLength(row)} bytes skipped (over the line limit)`, lineNumber);
        continue;
      }
      const terminated = batch.terminated(row);
      if (header != null && terminated) {
        // Only the line's first bytes are decoded: the tree links sit at its start.
        const match = MESSAGE_PREFIX.exec(batch.head(row, MESSAGE_PREFIX_BYTES));
        if (match != null) {
          sawAnyLine = true;
          if (flavor == null) flavor = detectFlavor(headerValue ?? {}, { parentId: null }, sawTitleSlot || omp);
          addEntry(match[1] ?? '', match[2] ?? null, KIND_MESSAGE, batch.byteOffset(row), lineNumber, undefined, match[3]);
          continue;
        }
      }
      const text = batch.text(row);
      if (text.trim() === '') continue;
      sawAnyLine = true;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        if (header == null) throw notASession(path, lineNumber, 'the first line is not valid JSON');
        const reason = error instanceof Error ? error.message : String(error);
        if (!terminated) warnings.add('truncated-line', `the last line is incomplete (the file is probably still being written): ${reason}`, lineNumber);
        else warnings.add('invalid-json', `invalid JSON, line skipped: ${reason}`, lineNumber);
        continue;
      }
      if (header == null) {
        if (!isJsonObject(value)) throw notASession(path, lineNumber, 'the first record is not a JSON object');
        if (value.type === 'title' && !sawTitleSlot) {
          sawTitleSlot = true;
          titleSlot = stringField(value, 'title');
          continue;
        }
        if (value.type !== 'session' || typeof value.id !== 'string') {
          throw notASession(path, lineNumber, `the first record has type ${JSON.stringify(value.type)}, expected "session" with a string id`);
        }
        headerValue = value;
        header = readHeader(value, titleSlot);
        if (header.version < 3) return 'legacy';
        continue;
      }
      if (!isJsonObject(value) || typeof value.type !== 'string') {
        warnings.add('invalid-record', 'line is not an entry object with a string "type", skipped', lineNumber);
        continue;
      }
      if (flavor == null) flavor = detectFlavor(headerValue ?? {}, value, sawTitleSlot || omp);
      const type = value.type;
      const id = stringField(value, 'id') ?? `line-${lineNumber}`;
      const parentId = stringField(value, 'parentId') ?? null;
      const timestamp = isoTimestamp(value.timestamp);
      // The ordinary reader classifies and warns about unknown types the same way.
      const node = toNode(value, lineNumber, 3, null, warnings);
      const kind = node.compaction != null ? KIND_COMPACTION : type === 'reset_boundary' ? KIND_RESET : node.mapped != null || type === 'message' ? KIND_MESSAGE : KIND_SILENT;
      const entry = addEntry(id, parentId, kind, batch.byteOffset(row), lineNumber, node.thinkingLevel, timestamp);
      if (node.compaction != null) {
        compactions.set(entry, { summary: stringField(value, 'summary') ?? '', firstKeptEntryId: node.compaction.firstKeptEntryId, entryId: id, line: lineNumber, timestamp });
      }
      if (type === 'session_info') {
        const entryName = stringField(value, 'name');
        if (entryName != null && entryName !== '') name = entryName;
      }
      if (type === 'title_change') {
        const title = stringField(value, 'title');
        if (title != null && title !== '') header.title = title;
      }
    }
  }
  if (!sawAnyLine) return undefined;
  if (header == null || headerValue == null) throw notASession(path, 1, 'the file holds only an omp title record and no session header');
  // Parents written after their children (rare): resolve now that every id is known.
  for (const [entry, { parentId }] of unresolvedParents) {
    const parent = idIndex.get(parentId);
    if (parent !== -1) parents.set(entry, parent);
  }
  return {
    header,
    flavor: flavor ?? detectFlavor(headerValue, undefined, sawTitleSlot || omp),
    count,
    lastId,
    idIndex,
    parents,
    offsets,
    lines,
    kinds,
    levels,
    levelNames,
    unresolvedParents,
    compactions,
    lastTimestamp,
    leafTimestamp,
    name: name ?? header.title,
    warnings,
  };
}

/**
 * The active leaf, its path, and what of it reaches the context (same rules as the ordinary reader).
 * Typed arrays throughout: a path of millions of entries costs 4 bytes an entry, not a JS array's 8+.
 */
function contextPlan(index: FileIndex, warnings: WarningLog): { plan: { summary: Compaction | undefined; entries: Int32Array }; leaf: number } {
  const { count } = index;
  const { leafId } = index.header;
  let leaf = count - 1;
  if (leafId === '') leaf = -1;
  else if (leafId != null && index.idIndex.get(leafId) !== -1) leaf = index.idIndex.get(leafId);
  // Walked leaf to root into the end of the buffer, so the path comes out root first without a reverse.
  const buffer = new Int32Array(Math.max(count, 0));
  let first = buffer.length;
  const visited = new Uint8Array(count);
  for (let entry = leaf; entry >= 0; ) {
    if (visited[entry] === 1) {
      warnings.add('cycle', `the entry on line ${index.lines.get(entry)} is its own ancestor; the path stops there`, index.lines.get(entry));
      break;
    }
    visited[entry] = 1;
    buffer[--first] = entry;
    const parent = index.parents.get(entry);
    if (parent === UNRESOLVED) {
      const missing = index.unresolvedParents.get(entry);
      warnings.add('missing-parent', `entry ${missing?.childId} names parent ${missing?.parentId}, which is not in the file; the path starts at ${missing?.childId}`, index.lines.get(entry));
      break;
    }
    entry = parent;
  }
  const path = buffer.subarray(first);
  let compactionAt = -1;
  let resetAt = -1;
  for (let position = 0; position < path.length; position += 1) {
    const kind = index.kinds[path[position] ?? 0];
    if (kind === KIND_COMPACTION) compactionAt = position;
    else if (kind === KIND_RESET) resetAt = position;
  }
  // The message entries of path[from, to) are packed to the front of the buffer, in place: a
  // position is written only after it was read (`kept` <= position), so this never clobbers the path.
  let kept = 0;
  const keepMessages = (from: number, to: number): void => {
    for (let position = from; position < to; position += 1) {
      const entry = path[position] ?? 0;
      if (index.kinds[entry] === KIND_MESSAGE) buffer[kept++] = entry;
    }
  };
  if (resetAt > compactionAt) {
    keepMessages(resetAt + 1, path.length);
    return { plan: { summary: undefined, entries: buffer.subarray(0, kept) }, leaf };
  }
  if (compactionAt === -1) {
    keepMessages(0, path.length);
    return { plan: { summary: undefined, entries: buffer.subarray(0, kept) }, leaf };
  }
  const compaction = index.compactions.get(path[compactionAt] ?? -1);
  const firstKeptId = compaction?.firstKeptEntryId;
  const firstKept = firstKeptId == null ? -1 : path.indexOf(index.idIndex.get(firstKeptId));
  if (firstKept !== -1 && firstKept < compactionAt) keepMessages(firstKept, compactionAt);
  keepMessages(compactionAt + 1, path.length);
  return { plan: { summary: compaction, entries: buffer.subarray(0, kept) }, leaf };
}

function notASession(path: string, line: number, what: string): PiSessionError {
  return new PiSessionError({
    message: `not a pi session: ${what}`,
    code: 'not-a-pi-session',
    location: { file: path, line },
    hint: 'a pi/pir/omp session file starts with a {"type":"session",...} header line; pass only session .jsonl files',
  });
}
