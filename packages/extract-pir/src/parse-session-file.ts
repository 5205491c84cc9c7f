import { readRawLineBatches, WarningLog } from '@forge/reader-kit';
import { type Message } from '@forge/schema';
import { isJsonObject, isoTimestamp, stringField, type JsonObject } from './json-fields.js';
import { mapPiMessage, summaryMessage, type EntrySource, type MappedMessage } from './map-message.js';
import { PiSessionError } from './pi-session-error.js';

/** Which program wrote a pi-family file: pir (pi_agent_rust), TS pi, or omp (oh-my-pi). */
export type PiFlavor = 'pir' | 'pi' | 'omp';

/** The session header (line 1, or line 2 after omp's title slot). */
export interface PiHeader {
  id: string;
  /** 1 when the header has no version (TS v1). */
  version: number;
  timestamp: string | undefined;
  cwd: string;
  /** pir's persisted current leaf: undefined = natural tip, '' = root (no active path). */
  leafId: string | undefined;
  thinkingLevel: string | undefined;
  /** The session this one was forked from (`branchedFrom` or `parentSession`). */
  forkedFrom: string | undefined;
  title: string | undefined;
}

/** One tree node: every entry is one, whether or not it reaches the model. */
export interface EntryNode {
  id: string;
  parentId: string | null;
  type: string;
  line: number;
  timestamp: string | undefined;
  /** The message this entry contributes to the context (message, custom_message, branch_summary). */
  mapped?: MappedMessage;
  /** For compaction entries: the summary message and where the kept tail starts. */
  compaction?: { message: Message; firstKeptEntryId: string | undefined; firstKeptEntryIndex: number | undefined };
  /** For thinking_level_change entries. */
  thinkingLevel?: string;
  /** The thinking level in force at this entry: its own change, else its parent's, else the header's. */
  levelInForce: string | undefined;
}

/** Everything one pass over a session file found. */
export interface ParsedPiFile {
  path: string;
  flavor: PiFlavor;
  header: PiHeader;
  /** Entries in file order. */
  entries: EntryNode[];
  byId: Map<string, EntryNode>;
  /** The display name: the last `session_info` name, else omp's title. */
  name: string | undefined;
  /** Number of `type:"message"` entries over all branches (what pir's index counts). */
  messageCount: number;
  warnings: WarningLog;
}

/** Options of {@link parsePiSessionFile}. */
export interface ParsePiSessionFileOptions {
  /** A flavor the caller already knows (e.g. the file sits under an omp root). */
  flavorHint?: 'omp';
}

/** Entry types no reader maps to messages but that are part of the format (pi-family.md §2.3, claude-code.md §10.2). */
const KNOWN_SILENT_TYPES = new Set([
  'model_change',
  'label',
  'session_info',
  'custom',
  'service_tier_change',
  'title_change',
  'ttsr_injection',
  'credential_pin',
  'session_init',
  'mode_change',
  'model_usage',
  'reset_boundary',
]);

/** The header fields a reader uses; `title` falls back to omp's title slot. */
export function readHeader(value: JsonObject, title: string | undefined): PiHeader {
  const version = typeof value.version === 'number' ? value.version : 1;
  return {
    id: stringField(value, 'id') ?? '',
    version,
    timestamp: isoTimestamp(value.timestamp),
    cwd: stringField(value, 'cwd') ?? '',
    leafId: stringField(value, 'leafId'),
    thinkingLevel: stringField(value, 'thinkingLevel'),
    forkedFrom: stringField(value, 'branchedFrom') ?? stringField(value, 'parentSession'),
    title: stringField(value, 'title') ?? (title === '' ? undefined : title),
  };
}

/**
 * pir writes provider/model fields into the header and omits `parentId` on root entries; TS pi
 * writes neither (pi-family.md §2.1, §2.2). Used only when the file has no omp title slot.
 */
export function detectFlavor(headerValue: JsonObject, firstEntry: JsonObject | undefined, omp: boolean): PiFlavor {
  if (omp) return 'omp';
  if (headerValue.version !== 3) return 'pi';
  const pirKeys = ['provider', 'modelId', 'thinkingLevel', 'leafId', 'fallbackProvider', 'fallbackModelId', 'branchedFrom'];
  if (pirKeys.some((key) => key in headerValue)) return 'pir';
  if (firstEntry != null && !('parentId' in firstEntry)) return 'pir';
  return 'pi';
}

/**
 * Reads a pi-family session file in one streaming pass: header, every entry as a tree node, the
 * messages mapped as they are read (raw JSON is dropped at once). Bad lines become warnings.
 * Returns undefined for a file with no lines at all (0-byte or blank).
 *
 * @throws PiSessionError `not-a-pi-session` when the first record is not a session header.
 */
export async function parsePiSessionFile(path: string, options: ParsePiSessionFileOptions = {}): Promise<ParsedPiFile | undefined> {
  const warnings = new WarningLog(path);
  let titleSlot: string | undefined;
  let sawTitleSlot = false;
  let headerValue: JsonObject | undefined;
  let header: PiHeader | undefined;
  let flavor: PiFlavor | undefined;
  const entries: EntryNode[] = [];
  const byId = new Map<string, EntryNode>();
  let name: string | undefined;
  let messageCount = 0;
  let previousId: string | null = null;
  let sawAnyLine = false;

  const notASession = (line: number, what: string): PiSessionError =>
    new PiSessionError({
      message: `not a pi session: ${what}`,
      code: 'not-a-pi-session',
      location: { file: path, line },
      hint: 'a pi/pir/omp session file starts with a {"type":"session",...} header line; pass only session .jsonl files',
    });

  // One await per 1 MiB chunk, not per line: per-line async steps cost more than the parsing. Each
  // line is decoded and parsed only when it is mapped, so its string and raw objects die young
  // (cheap for the GC) instead of a whole chunk's worth surviving to the next scavenge.
  for await (const batch of readRawLineBatches(path)) {
    for (let row = 0; row < batch.count; row += 1) {
      const lineNumber = batch.lineNumber(row);
      if (batch.tooLong(row)) {
        sawAnyLine = true;
        if (header == null) throw notASession(lineNumber, 'the first line is not valid JSON');
        warnings.add('line-too-long', `line of ${batch.byteLength(row)} bytes skipped (over the line limit)`, lineNumber);
        continue;
      }
      const text = batch.text(row);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        if (text.trim() === '') continue;
        sawAnyLine = true;
        if (header == null) throw notASession(lineNumber, 'the first line is not valid JSON');
        const reason = error instanceof Error ? error.message : String(error);
        if (!batch.terminated(row)) warnings.add('truncated-line', `the last line is incomplete (the file is probably still being written): ${reason}`, lineNumber);
        else warnings.add('invalid-json', `invalid JSON, line skipped: ${reason}`, lineNumber);
        continue;
      }
      sawAnyLine = true;
      if (header == null) {
        if (!isJsonObject(value)) throw notASession(lineNumber, 'the first record is not a JSON object');
        if (value.type === 'title' && !sawTitleSlot && headerValue == null) {
          // omp reserves a fixed-width first line for the mutable title, then writes the header.
          sawTitleSlot = true;
          titleSlot = stringField(value, 'title');
          continue;
        }
        if (value.type !== 'session' || typeof value.id !== 'string') {
          throw notASession(lineNumber, `the first record has type ${JSON.stringify(value.type)}, expected "session" with a string id`);
        }
        headerValue = value;
        header = readHeader(value, titleSlot);
        if (header.version < 3) warnings.add('migrated', `session version ${header.version} migrated to v3 in memory`, lineNumber);
        continue;
      }
      if (!isJsonObject(value) || typeof value.type !== 'string') {
        warnings.add('invalid-record', 'line is not an entry object with a string "type", skipped', lineNumber);
        continue;
      }
      if (flavor == null) flavor = detectFlavor(headerValue ?? {}, value, sawTitleSlot || options.flavorHint === 'omp');

      const node = toNode(value, lineNumber, header.version, previousId, warnings);
      // Parents precede children in file order, so what depends on ancestors is settled here, once.
      const parent = node.parentId == null ? undefined : byId.get(node.parentId);
      node.levelInForce = node.thinkingLevel ?? (parent == null ? header.thinkingLevel : parent.levelInForce);
      const message = node.mapped?.message;
      if (message?.role === 'assistant') {
        if (node.levelInForce != null) message.thinkingLevel = node.levelInForce;
        // One response stored as consecutive assistant entries (omp imports) carries its usage once.
        const responseId = node.mapped?.responseId;
        if (responseId != null && parent?.mapped?.responseId === responseId && message.usage != null) {
          node.mapped = { message: withoutUsage(message), responseId };
        }
      }
      if (byId.has(node.id)) warnings.add('duplicate', `entry id ${node.id} appears twice; the later line wins`, lineNumber);
      byId.set(node.id, node);
      entries.push(node);
      previousId = node.id;
      if (node.type === 'message') messageCount += 1;
      if (node.type === 'session_info') {
        const entryName = stringField(value, 'name');
        if (entryName != null && entryName !== '') name = entryName;
      }
      if (node.type === 'title_change') {
        const title = stringField(value, 'title');
        if (title != null && title !== '') header.title = title;
      }
    }
  }

  if (!sawAnyLine) return undefined;
  if (header == null || headerValue == null) throw notASession(1, 'the file holds only an omp title record and no session header');
  if (header.version < 3) resolveV1Compactions(entries);
  return {
    path,
    flavor: flavor ?? detectFlavor(headerValue, undefined, sawTitleSlot || options.flavorHint === 'omp'),
    header,
    entries,
    byId,
    name: name ?? header.title,
    messageCount,
    warnings,
  };
}

/**
 * One entry as a tree node, its message mapped. v1 entries (no ids) chain to the previous entry;
 * a v3 entry without an id becomes its own root.
 */
export function toNode(value: JsonObject, line: number, version: number, previousId: string | null, warnings: WarningLog): EntryNode {
  const type = value.type as string;
  const ownId = stringField(value, 'id');
  // v1 files are linear and id-less: chain each entry to the previous one (TS migrateV1ToV2).
  // A v3 entry without an id becomes its own root, as pir does on load.
  const id = ownId ?? `line-${line}`;
  const parentId = version < 2 && ownId == null ? previousId : (stringField(value, 'parentId') ?? null);
  const timestamp = isoTimestamp(value.timestamp);
  // Every field set up front: one object shape for all nodes keeps property access monomorphic.
  const node: EntryNode = { id, parentId, type, line, timestamp, mapped: undefined, compaction: undefined, thinkingLevel: undefined, levelInForce: undefined };
  const source: EntrySource = { entryId: id, line, timestamp };
  switch (type) {
    case 'message': {
      if (!isJsonObject(value.message)) {
        warnings.add('invalid-record', 'message entry without a message object', line);
        break;
      }
      const mapped = mapPiMessage(value.message, source, warnings);
      if (mapped != null) node.mapped = mapped;
      break;
    }
    case 'custom_message': {
      // TS pi's extension message entry: mapped exactly like pir's `role:"custom"` message.
      const mapped = mapPiMessage({ role: 'custom', customType: value.customType, display: value.display, details: value.details, content: value.content }, source, warnings);
      if (mapped != null) node.mapped = mapped;
      break;
    }
    case 'branch_summary':
      node.mapped = { message: summaryMessage('branch', stringField(value, 'summary') ?? '', source) };
      break;
    case 'compaction':
      node.compaction = {
        message: summaryMessage('compaction', stringField(value, 'summary') ?? '', source),
        firstKeptEntryId: stringField(value, 'firstKeptEntryId'),
        firstKeptEntryIndex: typeof value.firstKeptEntryIndex === 'number' ? value.firstKeptEntryIndex : undefined,
      };
      break;
    case 'thinking_level_change': {
      const level = stringField(value, 'thinkingLevel');
      if (level != null) node.thinkingLevel = level;
      break;
    }
    default:
      if (!KNOWN_SILENT_TYPES.has(type)) warnings.addCounted('unknown-entry-type', type, `unknown entry type ${JSON.stringify(type)} (kept in the tree, no message)`, line);
  }
  return node;
}

/** v1 compactions point at an index into the file's record array, header included (TS migrateV1ToV2). */
function resolveV1Compactions(entries: EntryNode[]): void {
  for (const entry of entries) {
    const index = entry.compaction?.firstKeptEntryIndex;
    if (entry.compaction == null || index == null || entry.compaction.firstKeptEntryId != null) continue;
    const target = index >= 1 ? entries[index - 1] : undefined;
    if (target != null) entry.compaction.firstKeptEntryId = target.id;
  }
}

function withoutUsage(message: Message): Message {
  const { usage: _usage, ...rest } = message;
  return rest;
}
