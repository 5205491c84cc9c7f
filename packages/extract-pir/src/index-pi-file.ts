import { GrowableTypedArray, isJsonObject, reportBadLine, stringField, WarningLog, type BadLineWording, type JsonObject, type RawLineBatch } from '@forge/reader-kit';
import { forgeEntryTypes, safeParseForgeAgentEntry, safeParseForgeBeadsEntry, safeParseForgeTurnEntry, type SessionForgeEntries } from '@forge/schema';
import { EntryIdIndex } from './entry-id-index.js';
import { isoTimestamp } from './iso-timestamp.js';
import { mapEntry } from './map-entry.js';
import { type EntrySource } from './map-message.js';
import { detectFlavor, readHeader, type PiFlavor, type PiHeader } from './pi-header.js';
import { PiSessionError } from './pi-session-error.js';

/** Entry kinds in `PiFileIndex.kinds` (low bits), plus the thinking-level-change flag. */
export const KIND_SILENT = 0;
/** Contributes a context message (message, custom_message, branch_summary): read on pass 2. */
export const KIND_MESSAGE = 1;
export const KIND_COMPACTION = 2;
export const KIND_RESET = 3;
export const KIND_MASK = 7;
/** A thinking_level_change entry (its level is the level in force from there). */
export const LEVEL_CHANGE = 8;
/** The entry has a timestamp (read from its line when a trajectory needs it). */
export const TIMESTAMPED = 16;
/** Some entry names this one (or an entry with its id) as its parent: it is no leaf. */
export const HAS_CHILD = 32;

/** `parents` value of a root entry, and of an entry whose parent is not in the file. */
export const ROOT = -1;
export const UNRESOLVED = -2;

/** The words of pi's bad-line warnings. */
export const piBadLineWording: BadLineWording = {
  tooLong: (bytes) => `line of ${bytes} bytes skipped (over the line limit)`,
  truncated: (reason) => `the last line is incomplete (the file is probably still being written): ${reason}`,
  invalid: (reason) => `invalid JSON, line skipped: ${reason}`,
};

/** A compaction entry: its summary and where the kept tail starts. */
export interface Compaction {
  summary: string;
  firstKeptEntryId: string | undefined;
  /** Legacy (v1/v2) files: the kept tail as an index into the file's records, header included. */
  firstKeptEntryIndex: number | undefined;
  entryId: string;
  line: number;
  timestamp: string | undefined;
}

/** An entry's id and time, kept only for the entries a trajectory can end at. */
export interface EntryEnd {
  id: string;
  timestamp: string | undefined;
}

/**
 * Pass 1 over a pi-family file: the header and every entry's tree links in typed columns (about 30
 * bytes an entry, so a multi-GB file's index stays in tens of MB), with line-level warnings.
 * Message content is read on pass 2, only for the trajectories asked for.
 */
export interface PiFileIndex {
  path: string;
  header: PiHeader;
  flavor: PiFlavor;
  /** Entries, in file order. */
  count: number;
  /** `type:"message"` entries over all branches (what pir's session index counts). */
  messageCount: number;
  /** The display name: the last `session_info` name, else omp's title. */
  name: string | undefined;
  /** The system prompt an omp subagent's `session_init` entry recorded (the last one). */
  systemPrompt: string | undefined;
  /** forge's extension entries (`forge.capture.*`, `forge.outcome.beads`) with valid data, in file order; each session keeps those on its path. */
  forgeEntries: ForgeEntryAt[];
  idIndex: EntryIdIndex;
  /** Per entry: parent entry, `ROOT` or `UNRESOLVED`. */
  parents: Int32Array;
  /** Per entry: byte offset and line number of its line. */
  offsets: Float64Array;
  lines: Int32Array;
  /** Per entry: `KIND_*` | `LEVEL_CHANGE`. */
  kinds: Uint8Array;
  /** Per entry: the thinking level in force there, an index into `levelNames`. */
  levels: Int32Array;
  levelNames: Array<string | undefined>;
  /** Entries whose parent is not in the file: the id they name. */
  unresolved: Map<number, { parentId: string; childId: string }>;
  compactions: Map<number, Compaction>;
  /** Entries no other entry names as its parent, in file order: one per branch. */
  leaves: number[];
  /** Id and time of the last entry and of the header's leaf (any other entry's are read from its line). */
  ends: Map<number, EntryEnd>;
  warnings: WarningLog;
}

/** One valid forge extension entry: which entry it is, which list of `Session.forgeEntries` it goes to, and its data with its line. */
export type ForgeEntryAt =
  | { entry: number; list: 'turns'; value: SessionForgeEntries['turns'][number] }
  | { entry: number; list: 'runs'; value: SessionForgeEntries['runs'][number] }
  | { entry: number; list: 'beads'; value: SessionForgeEntries['beads'][number] };

/** Reads a `custom` entry forge's extensions wrote; other custom entries give undefined, invalid data a warning. */
function readForgeEntry(value: Record<string, unknown>, entry: number, line: number, warnings: WarningLog): ForgeEntryAt | undefined {
  const customType = value.customType;
  const parsers = {
    [forgeEntryTypes.turn]: ['turns', safeParseForgeTurnEntry],
    [forgeEntryTypes.agent]: ['runs', safeParseForgeAgentEntry],
    [forgeEntryTypes.beads]: ['beads', safeParseForgeBeadsEntry],
  } as const;
  if (typeof customType !== 'string' || !Object.hasOwn(parsers, customType)) return undefined;
  const [list, safeParse] = parsers[customType as keyof typeof parsers];
  const parsed = safeParse(value.data);
  if (!parsed.success) {
    warnings.add('invalid-record', `${customType} entry whose data does not validate (${parsed.error.message}); left out`, line);
    return undefined;
  }
  return { entry, list, value: { ...parsed.data, line } } as ForgeEntryAt;
}

/** The tree links at the start of a message entry's line. */
interface MessageLinks {
  id: string;
  parentId: string | null;
  timestamp: string;
}

// pir, TS pi and omp all write message entries as {"type":"message","id":…,"parentId":…,"timestamp":…,
// so the tree links of the bulk of the lines are read from their first bytes, without JSON.parse.
const MESSAGE_OPEN = Buffer.from('{"type":"message","id":"');
const PARENT_KEY = Buffer.from('","parentId":');
const NULL = Buffer.from('null');
const TIMESTAMP_KEY = Buffer.from(',"timestamp":"');
const QUOTE = 0x22;

function bytesAt(buffer: Buffer, position: number, expected: Buffer): boolean {
  if (position + expected.length > buffer.length) return false;
  for (let index = 0; index < expected.length; index += 1) if (buffer[position + index] !== expected[index]) return false;
  return true;
}

/** Where a plain ASCII string (no escape, no quote, not empty) that starts at `position` ends (its closing quote), or -1. */
function plainStringEnd(buffer: Buffer, position: number, end: number): number {
  for (let at = position; at < end; at += 1) {
    const byte = buffer[at] ?? 0;
    if (byte === QUOTE) return at === position ? -1 : at;
    if (byte === 0x5c || byte >= 0x80) return -1;
  }
  return -1;
}

/**
 * Reads `{"type":"message","id":"…","parentId":null|"…","timestamp":"…"` from the start of a line
 * (ASCII values without escapes); false for any other line, which is parsed in full instead.
 */
function readMessageLinks(buffer: Buffer, start: number, end: number, links: MessageLinks): boolean {
  if (!bytesAt(buffer, start, MESSAGE_OPEN)) return false;
  let at = start + MESSAGE_OPEN.length;
  const idEnd = plainStringEnd(buffer, at, end);
  if (idEnd === -1 || !bytesAt(buffer, idEnd, PARENT_KEY)) return false;
  const id = buffer.toString('latin1', at, idEnd);
  at = idEnd + PARENT_KEY.length;
  let parentId: string | null = null;
  if (bytesAt(buffer, at, NULL)) at += NULL.length;
  else {
    if (buffer[at] !== QUOTE) return false;
    const parentEnd = plainStringEnd(buffer, at + 1, end);
    if (parentEnd === -1) return false;
    parentId = buffer.toString('latin1', at + 1, parentEnd);
    at = parentEnd + 1;
  }
  if (!bytesAt(buffer, at, TIMESTAMP_KEY)) return false;
  at += TIMESTAMP_KEY.length;
  const timestampEnd = plainStringEnd(buffer, at, end);
  if (timestampEnd === -1) return false;
  links.id = id;
  links.parentId = parentId;
  links.timestamp = buffer.toString('latin1', at, timestampEnd);
  return true;
}

function notASession(path: string, line: number, what: string): PiSessionError {
  return new PiSessionError({
    message: `not a pi session: ${what}`,
    code: 'not-a-pi-session',
    location: { file: path, line },
    hint: 'a pi/pir/omp session file starts with a {"type":"session",...} header line; pass only session .jsonl files',
  });
}

/**
 * Pass 1: the header, then each entry's links, kind, level and line; bad lines become warnings.
 * Undefined for a file with no lines at all (0-byte or blank).
 *
 * @throws PiSessionError `not-a-pi-session` when the first record is not a session header.
 */
export async function indexPiFile(path: string, batches: AsyncIterable<RawLineBatch> | Iterable<RawLineBatch>, omp: boolean): Promise<PiFileIndex | undefined> {
  // Message content is only read (and its unknown roles and blocks reported) on the second pass.
  const warnings = new WarningLog(path, { ignore: ['unknown-role', 'unknown-block-type'] });
  let header: PiHeader | undefined;
  let headerValue: JsonObject | undefined;
  let sawTitleSlot = false;
  let slotTitle: string | undefined;
  let flavor: PiFlavor | undefined;
  let sawAnyLine = false;
  let count = 0;
  let messageCount = 0;
  let lastId: string | undefined;
  /** Legacy (v1/v2) files only: every entry's id, for the migration. */
  let legacyIds: string[] | undefined;
  const idIndex = new EntryIdIndex();
  const links: MessageLinks = { id: '', parentId: null, timestamp: '' };
  const parents = new GrowableTypedArray((length) => new Int32Array(length));
  const offsets = new GrowableTypedArray((length) => new Float64Array(length));
  const lines = new GrowableTypedArray((length) => new Int32Array(length));
  const kinds = new GrowableTypedArray((length) => new Uint8Array(length));
  const levels = new GrowableTypedArray((length) => new Int32Array(length));
  const levelNames: Array<string | undefined> = [undefined];
  const unresolved = new Map<number, { parentId: string; childId: string }>();
  const compactions = new Map<number, Compaction>();
  let lastTimestamp: string | undefined;
  let headerLeaf: { entry: number; end: EntryEnd } | undefined;
  /** Ids that more than one entry carries: an entry is no leaf when any entry names its id. */
  const sharedIds = new Map<string, number[]>();
  let name: string | undefined;
  let systemPrompt: string | undefined;
  const forgeEntries: ForgeEntryAt[] = [];

  const levelIndexOf = (level: string | undefined): number => {
    const found = levelNames.indexOf(level);
    if (found !== -1) return found;
    levelNames.push(level);
    return levelNames.length - 1;
  };
  /** `parent` has a child: it (and every entry sharing its id) is no leaf. */
  const named = (parent: number, parentId: string): void => {
    kinds.data[parent] = (kinds.data[parent] ?? 0) | HAS_CHILD;
    if (sharedIds.size === 0) return;
    for (const entry of sharedIds.get(parentId) ?? []) kinds.data[entry] = (kinds.data[entry] ?? 0) | HAS_CHILD;
  };

  const addEntry = (id: string, parentId: string | null, kind: number, offset: number, lineNumber: number, ownLevel: string | undefined, timestamp: string | undefined): number => {
    const entry = count++;
    let parent = ROOT;
    if (parentId != null) {
      // Most entries continue the previous one: no table lookup (a random memory access) for those.
      // Resolved before this entry's own id is recorded: an entry naming its own id names the earlier one.
      parent = parentId === lastId ? entry - 1 : idIndex.get(parentId);
      if (parent === -1) {
        parent = UNRESOLVED;
        unresolved.set(entry, { parentId, childId: id });
      } else named(parent, parentId);
    }
    const previous = idIndex.set(id, entry);
    lastId = id;
    if (previous !== -1) {
      warnings.add('duplicate', `entry id ${id} appears twice; the later line wins`, lineNumber);
      const sharing = sharedIds.get(id) ?? [previous];
      sharing.push(entry);
      sharedIds.set(id, sharing);
    }
    legacyIds?.push(id);
    lastTimestamp = timestamp;
    if (id === header?.leafId) headerLeaf = { entry, end: { id, timestamp } };
    // An id some earlier entry already named as its parent makes no leaf either.
    const namedBefore = previous !== -1 && ((kinds.data[previous] ?? 0) & HAS_CHILD) !== 0;
    parents.push(parent);
    offsets.push(offset);
    lines.push(lineNumber);
    kinds.push(kind | (ownLevel == null ? 0 : LEVEL_CHANGE) | (timestamp == null ? 0 : TIMESTAMPED) | (namedBefore ? HAS_CHILD : 0));
    const inherited = parent >= 0 ? levels.get(parent) : levelIndexOf(header?.thinkingLevel);
    levels.push(ownLevel == null ? inherited : levelIndexOf(ownLevel));
    return entry;
  };

  for await (const batch of batches) {
    for (let row = 0; row < batch.count; row += 1) {
      const lineNumber = batch.lineNumber(row);
      const terminated = batch.terminated(row);
      if (header != null && terminated && legacyIds == null && !batch.tooLong(row) && readMessageLinks(batch.source(row), batch.sourceStart(row), batch.sourceStart(row) + batch.byteLength(row), links)) {
        // Only the line's first bytes are read: the tree links sit at its start.
        sawAnyLine = true;
        if (flavor == null) flavor = detectFlavor(headerValue ?? {}, { parentId: null }, sawTitleSlot || omp);
        messageCount += 1;
        addEntry(links.id, links.parentId, KIND_MESSAGE, batch.byteOffset(row), lineNumber, undefined, links.timestamp);
        continue;
      }
      let value: unknown;
      try {
        if (batch.tooLong(row)) throw new Error('line too long');
        value = JSON.parse(batch.text(row));
      } catch (error) {
        if (batch.text(row).trim() === '' && !batch.tooLong(row)) continue;
        sawAnyLine = true;
        if (header == null) throw notASession(path, lineNumber, 'the first line is not valid JSON');
        reportBadLine(warnings, batch, row, error, piBadLineWording);
        continue;
      }
      sawAnyLine = true;
      if (header == null) {
        if (!isJsonObject(value)) throw notASession(path, lineNumber, 'the first record is not a JSON object');
        if (value.type === 'title' && !sawTitleSlot && headerValue == null) {
          // omp reserves a fixed-width first line for the mutable title, then writes the header.
          sawTitleSlot = true;
          slotTitle = stringField(value, 'title');
          continue;
        }
        if (value.type !== 'session' || typeof value.id !== 'string') {
          throw notASession(path, lineNumber, `the first record has type ${JSON.stringify(value.type)}, expected "session" with a string id`);
        }
        headerValue = value;
        header = readHeader(value, slotTitle);
        if (header.version < 3) {
          warnings.add('migrated', `session version ${header.version} migrated to v3 in memory`, lineNumber);
          legacyIds = [];
        }
        continue;
      }
      if (!isJsonObject(value) || typeof value.type !== 'string') {
        warnings.add('invalid-record', 'line is not an entry object with a string "type", skipped', lineNumber);
        continue;
      }
      if (flavor == null) flavor = detectFlavor(headerValue ?? {}, value, sawTitleSlot || omp);
      const type = value.type;
      const ownId = stringField(value, 'id');
      // v1 files are linear and id-less: chain each entry to the previous one (TS migrateV1ToV2).
      // A v3 entry without an id becomes its own root, as pir does on load.
      const id = ownId ?? `line-${lineNumber}`;
      const parentId = header.version < 2 && ownId == null ? (lastId ?? null) : (stringField(value, 'parentId') ?? null);
      const timestamp = isoTimestamp(value.timestamp);
      const source: EntrySource = { entryId: id, line: lineNumber, timestamp };
      const mapped = mapEntry(value, source, warnings);
      // A message entry with a message object is read again on pass 2 (its unknown roles are reported there).
      const kind =
        mapped.compaction != null ? KIND_COMPACTION : type === 'reset_boundary' ? KIND_RESET : mapped.mapped != null || (type === 'message' && isJsonObject(value.message)) ? KIND_MESSAGE : KIND_SILENT;
      const entry = addEntry(id, parentId, kind, batch.byteOffset(row), lineNumber, mapped.thinkingLevel, timestamp);
      if (type === 'message') messageCount += 1;
      if (mapped.compaction != null) {
        const { firstKeptEntryId, firstKeptEntryIndex } = mapped.compaction;
        compactions.set(entry, { summary: stringField(value, 'summary') ?? '', firstKeptEntryId, firstKeptEntryIndex, entryId: id, line: lineNumber, timestamp });
      }
      if (type === 'session_info') {
        const entryName = stringField(value, 'name');
        if (entryName != null && entryName !== '') name = entryName;
      }
      if (type === 'title_change') {
        const title = stringField(value, 'title');
        if (title != null && title !== '') header.title = title;
      }
      if (type === 'session_init') systemPrompt = stringField(value, 'systemPrompt') ?? systemPrompt;
      if (type === 'custom') {
        const forgeEntry = readForgeEntry(value, entry, lineNumber, warnings);
        if (forgeEntry != null) forgeEntries.push(forgeEntry);
      }
    }
  }
  if (!sawAnyLine) return undefined;
  if (header == null || headerValue == null) throw notASession(path, 1, 'the file holds only an omp title record and no session header');
  // Parents written after their children (rare): resolve now that every id is known.
  for (const [entry, { parentId }] of unresolved) {
    const parent = idIndex.get(parentId);
    if (parent === -1) continue;
    parents.set(entry, parent);
    unresolved.delete(entry);
    named(parent, parentId);
  }
  // An id several entries carry names the last of them (the later line wins), even for children
  // written before it: point every child of the others there.
  if (sharedIds.size > 0) {
    const redirect = new Map<number, number>();
    for (const sharing of sharedIds.values()) for (const entry of sharing) redirect.set(entry, sharing.at(-1) ?? entry);
    const column = parents.view();
    for (let entry = 0; entry < count; entry += 1) {
      const target = redirect.get(column[entry] ?? ROOT);
      if (target != null) column[entry] = target;
    }
  }
  if (legacyIds != null) resolveLegacyCompactions(compactions, legacyIds);
  const ends = new Map<number, EntryEnd>();
  if (count > 0 && lastId != null) ends.set(count - 1, { id: lastId, timestamp: lastTimestamp });
  if (headerLeaf != null) ends.set(headerLeaf.entry, headerLeaf.end);
  const leaves: number[] = [];
  const kindColumn = kinds.view();
  for (let entry = 0; entry < count; entry += 1) if (((kindColumn[entry] ?? 0) & HAS_CHILD) === 0) leaves.push(entry);
  return {
    path,
    header,
    flavor: flavor ?? detectFlavor(headerValue, undefined, sawTitleSlot || omp),
    count,
    messageCount,
    name: name ?? header.title,
    systemPrompt,
    forgeEntries,
    idIndex,
    parents: parents.view(),
    offsets: offsets.view(),
    lines: lines.view(),
    kinds: kinds.view(),
    levels: levels.view(),
    levelNames,
    unresolved,
    compactions,
    leaves,
    ends,
    warnings,
  };
}

/** v1 compactions point at an index into the file's record array, header included (TS migrateV1ToV2). */
function resolveLegacyCompactions(compactions: Map<number, Compaction>, ids: string[]): void {
  for (const compaction of compactions.values()) {
    const index = compaction.firstKeptEntryIndex;
    if (compaction.firstKeptEntryId != null || index == null || index < 1) continue;
    compaction.firstKeptEntryId = ids[index - 1];
  }
}
