import { isJsonObject, rawLineBatchesOf, readRawLineBatches, readSmallFile, SessionTally, stringField, WarningLog, type RawLineBatch, type SessionHead, type SourceEvent } from '@forge/reader-kit';
import { SESSION_SCHEMA_VERSION, type Message, type SessionForgeEntries, type SessionWarning } from '@forge/schema';
import {
  indexPiFile,
  KIND_COMPACTION,
  KIND_MASK,
  KIND_MESSAGE,
  KIND_RESET,
  LEVEL_CHANGE,
  ROOT,
  TIMESTAMPED,
  UNRESOLVED,
  type Compaction,
  type PiFileIndex,
} from './index-pi-file.js';
import { isoTimestamp } from './iso-timestamp.js';
import { mapEntry } from './map-entry.js';
import { summaryMessage } from './map-message.js';
import { ResponseMerger } from './merge-responses.js';
import { type PiFlavor } from './pi-header.js';
import { PiSessionError } from './pi-session-error.js';
import { findSubagentParent, type SubagentLink } from './subagent-parent.js';

/** Which trajectories of a file to read: the one the harness would resume, or one per leaf. */
export type BranchSelection = 'active' | 'all';

/** Options of {@link streamPiSession}. */
export interface StreamPiSessionOptions {
  /** `active` (default): the branch the harness would resume (header `leafId`, else the last entry). `all`: one trajectory per leaf. */
  branches?: BranchSelection;
  /** Which program wrote the file (`PiSessionHandle.source`), when the caller knows it (discovery does); otherwise it is read from the file. */
  source?: PiFlavor;
  /** Lines longer than this become a `line-too-long` warning. */
  maxLineBytes?: number;
  /** A file that is no session or cannot be read gives one `file-warning` instead of throwing (`SessionSourceReader.readFile`). */
  failuresAsWarnings?: boolean;
  /** The file's size, when the caller knows it (discovery does): saves a stat. */
  size?: number;
  /** Gets the file's bytes when it is read whole (`ReadFileOptions.onWholeRead`). */
  onWholeRead?: (bytes: Buffer) => void;
}

/**
 * THE pi-family reader: one file's Sessions as a stream of events. Pass 1 keeps each entry's tree
 * links in typed columns (about 30 bytes an entry; most lines are matched by their first bytes,
 * without JSON.parse); pass 2 reads only the lines of the trajectories asked for and hands out each
 * message as it is mapped, so memory is bounded by the longest line plus the index, whatever the
 * file's size. For each trajectory: its `message` events, then its `session` event (the Session
 * without messages: totals, models and warnings cover the messages). A file with no lines gives one
 * `file-warning` (`empty-file`). `readPiSession` is a fold over this.
 *
 * @throws PiSessionError `not-a-pi-session` when the first record is not a session header,
 *   `unreadable-session` when the file cannot be read, `invalid-option` for an unknown `branches`.
 */
export async function* streamPiSession(path: string, options: StreamPiSessionOptions = {}): AsyncGenerator<SourceEvent> {
  let opened: Awaited<ReturnType<typeof indexFile>>;
  try {
    opened = await indexFile(path, options);
  } catch (error) {
    if (options.failuresAsWarnings !== true || !PiSessionError.isInstance(error)) throw error;
    yield { kind: 'file-warning', warning: { file: path, kind: error.code === 'not-a-pi-session' ? 'not-a-session' : 'unreadable-file', message: error.message } };
    return;
  }
  const { index, whole, lines } = opened;
  const branches = options.branches ?? 'active';
  if (index == null) {
    yield { kind: 'file-warning', warning: { file: path, kind: 'empty-file', message: 'empty session file skipped (0 bytes or blank lines only)' } };
    return;
  }
  if (options.source != null && options.source !== 'omp') index.flavor = options.source;
  const subagent = index.flavor === 'omp' ? (await findSubagentParent(path))?.link : undefined;
  const reader = new TrajectoryReader(index, whole, lines, subagent);
  const active = activeLeaf(index);
  let trajectories: Array<[number, boolean]> = [[active, true]];
  if (branches === 'all') {
    const tips = [...index.leaves];
    if (active >= 0 && !tips.includes(active)) tips.push(active);
    if (tips.length > 0) trajectories = tips.map((tip) => [tip, tip === active]);
  }
  // One generator from line to event: every layer of async generators costs a promise per event.
  for (const [leaf, isActive] of trajectories) {
    const trajectory = await reader.open(leaf, isActive);
    if (whole != null) {
      for (const [entry, value] of reader.valuesInMemory(whole, trajectory.plan.entries)) for (const event of trajectory.add(entry, value)) yield event;
    } else {
      for await (const [entry, value] of reader.entryValues(trajectory.plan.entries)) for (const event of trajectory.add(entry, value)) yield event;
    }
    for (const event of trajectory.finish()) yield event;
    yield { kind: 'session', session: await reader.head(trajectory) };
  }
}

/** Reads the file (whole when small) and runs pass 1. */
async function indexFile(path: string, options: StreamPiSessionOptions): Promise<{ index: PiFileIndex | undefined; whole: Buffer | undefined; lines: (start?: number) => AsyncIterable<RawLineBatch> | Iterable<RawLineBatch> }> {
  const branches = options.branches ?? 'active';
  if (branches !== 'active' && branches !== 'all') {
    throw new PiSessionError({ message: `unknown branches option ${JSON.stringify(branches)}`, code: 'invalid-option', hint: "use 'active' or 'all'" });
  }
  let whole: Buffer | undefined;
  try {
    // Synchronous: for the many small files of a home an async open and stat cost more than the read.
    whole = readSmallFile(path, options.size, options.onWholeRead);
  } catch (error) {
    throw new PiSessionError({ message: 'cannot read the session file', code: 'unreadable-session', location: { file: path }, hint: 'check that the path exists and is readable', cause: error });
  }
  const maxLineBytes = options.maxLineBytes;
  const lines = (start?: number): AsyncIterable<RawLineBatch> | Iterable<RawLineBatch> => {
    const range = { ...(start == null ? {} : { start }), ...(maxLineBytes == null ? {} : { maxLineBytes }) };
    return whole == null ? readRawLineBatches(path, range) : rawLineBatchesOf(whole, range);
  };
  const omp = options.source === 'omp' || path.includes('/.omp/');
  return { index: await indexPiFile(path, lines(), omp), whole, lines };
}

/**
 * The current leaf (pi-family.md §2.5): header `leafId` "" = no active path (-1); a `leafId`
 * naming an entry = that entry; otherwise the last entry in file order (the natural tip).
 */
export function activeLeaf(index: PiFileIndex): number {
  const { leafId } = index.header;
  if (leafId === '') return -1;
  if (leafId != null) {
    const named = index.idIndex.get(leafId);
    if (named !== -1) return named;
  }
  return index.count - 1;
}

/** Where a path walk stopped short of a root: an entry whose parent is not in the file, or an entry met twice. */
export type PathStop = { kind: 'missing-parent' | 'cycle'; entry: number };

/**
 * Root-to-leaf path, root first, and where the walk stopped early: a missing parent or a cycle
 * stops it (never a hang). Typed arrays throughout: a path of millions of entries costs 4 bytes an entry.
 */
export function pathTo(index: PiFileIndex, leaf: number): { path: Int32Array; stop: PathStop | undefined } {
  // Walked leaf to root into the end of the buffer, so the path comes out root first without a reverse.
  const buffer = new Int32Array(index.count);
  let first = buffer.length;
  const visited = new Uint8Array(index.count);
  let stop: PathStop | undefined;
  for (let entry = leaf; entry >= 0; ) {
    if (visited[entry] === 1) {
      stop = { kind: 'cycle', entry };
      break;
    }
    visited[entry] = 1;
    buffer[--first] = entry;
    const parent = index.parents[entry] ?? ROOT;
    if (parent === UNRESOLVED) {
      stop = { kind: 'missing-parent', entry };
      break;
    }
    entry = parent;
  }
  return { path: buffer.subarray(first), stop };
}

/**
 * The LLM context of one path (pi-family.md §2.6, plus omp's `/clear` boundary): the last
 * compaction's summary, then the kept tail from `firstKeptEntryId`, then everything after it; after
 * a later reset only what follows it. The message entries come back in path order.
 */
function contextPlan(index: PiFileIndex, path: Int32Array): { summary: Compaction | undefined; entries: Int32Array } {
  let compactionAt = -1;
  let resetAt = -1;
  for (let position = 0; position < path.length; position += 1) {
    const kind = (index.kinds[path[position] ?? 0] ?? 0) & KIND_MASK;
    if (kind === KIND_COMPACTION) compactionAt = position;
    else if (kind === KIND_RESET) resetAt = position;
  }
  // Typed, not a JS array: a path of millions of entries costs 4 bytes an entry.
  const entries = new Int32Array(path.length);
  let kept = 0;
  const keep = (from: number, to: number): void => {
    for (let position = from; position < to; position += 1) {
      const entry = path[position] ?? 0;
      if (((index.kinds[entry] ?? 0) & KIND_MASK) === KIND_MESSAGE) entries[kept++] = entry;
    }
  };
  if (resetAt > compactionAt) {
    keep(resetAt + 1, path.length);
    return { summary: undefined, entries: entries.subarray(0, kept) };
  }
  if (compactionAt === -1) {
    keep(0, path.length);
    return { summary: undefined, entries: entries.subarray(0, kept) };
  }
  const compaction = index.compactions.get(path[compactionAt] ?? -1);
  const firstKeptId = compaction?.firstKeptEntryId;
  // pir: a firstKeptEntryId that is not on the path keeps nothing from before the compaction.
  const firstKept = firstKeptId == null ? -1 : path.indexOf(index.idIndex.get(firstKeptId));
  if (firstKept !== -1 && firstKept < compactionAt) keep(firstKept, compactionAt);
  keep(compactionAt + 1, path.length);
  return { summary: compaction, entries: entries.subarray(0, kept) };
}

/** One trajectory being read: its plan, and its messages as their entries come in (synchronous). */
class Trajectory {
  readonly plan: { summary: Compaction | undefined; entries: Int32Array };
  readonly sessionId: string;
  readonly tally = new SessionTally();
  readonly contentWarnings: WarningLog;
  readonly #responses = new ResponseMerger();
  /** Messages made final by the last one mapped; handed out one event at a time. */
  readonly #ready: Message[] = [];
  readonly #events: SourceEvent[] = [];

  constructor(
    private readonly index: PiFileIndex,
    readonly path: Int32Array,
    readonly stop: PathStop | undefined,
    readonly leafId: string | null,
    readonly isActive: boolean,
  ) {
    this.plan = contextPlan(index, path);
    this.sessionId = isActive ? index.header.id : `${index.header.id}@${leafId ?? 'root'}`;
    this.contentWarnings = new WarningLog(index.path);
    if (this.plan.summary != null) {
      const { summary, entryId, line, timestamp } = this.plan.summary;
      this.#push(summaryMessage('compaction', summary, { entryId, line, timestamp }), -1);
    }
  }

  /** The events an entry's line makes final (usually its own message, once the next one is in). */
  add(entry: number, value: Record<string, unknown>): SourceEvent[] {
    const { index } = this;
    const source = { entryId: stringField(value, 'id') ?? `line-${index.lines[entry]}`, line: index.lines[entry] ?? 0, timestamp: isoTimestamp(value.timestamp) };
    const message = mapEntry(value, source, this.contentWarnings).mapped?.message;
    if (message != null) this.#push(message, entry);
    return this.#take();
  }

  /** The events still held when the entries are done. */
  finish(): SourceEvent[] {
    this.#responses.finish(this.#ready);
    return this.#take();
  }

  #push(message: Message, entry: number): void {
    if (message.role === 'assistant') {
      const level = this.index.levelNames[this.index.levels[entry] ?? 0];
      if (level != null) message.thinkingLevel = level;
    }
    this.#responses.push(message, this.#ready);
  }

  #take(): SourceEvent[] {
    const events = this.#events;
    events.length = 0;
    for (const message of this.#ready) {
      this.tally.add(message);
      events.push({ kind: 'message', sessionId: this.sessionId, message });
    }
    this.#ready.length = 0;
    return events;
  }
}

/** The forge extension entries on a trajectory's path (an abandoned branch's stay with it), or undefined when there are none. */
function forgeEntriesOnPath(index: PiFileIndex, path: Int32Array): SessionForgeEntries | undefined {
  if (index.forgeEntries.length === 0) return undefined;
  const onPath = new Set(path);
  const entries: SessionForgeEntries = { turns: [], runs: [], beads: [] };
  let found = false;
  for (const forgeEntry of index.forgeEntries) {
    if (!onPath.has(forgeEntry.entry)) continue;
    found = true;
    (entries[forgeEntry.list] as Array<typeof forgeEntry.value>).push(forgeEntry.value);
  }
  return found ? entries : undefined;
}

/** Pass 2: reads trajectories of an indexed file, one at a time, as events. */
class TrajectoryReader {
  constructor(
    private readonly index: PiFileIndex,
    private readonly whole: Buffer | undefined,
    private readonly lines: (start?: number) => AsyncIterable<RawLineBatch> | Iterable<RawLineBatch>,
    private readonly subagent: SubagentLink | undefined,
  ) {}

  /** A trajectory ending at `leaf` (-1: the empty one), ready for its entries. */
  async open(leaf: number, isActive: boolean): Promise<Trajectory> {
    const { index } = this;
    const { path, stop } = leaf < 0 ? { path: new Int32Array(0), stop: undefined } : pathTo(index, leaf);
    const leafId = leaf < 0 ? null : await this.idOf(leaf);
    return new Trajectory(index, path, stop, leafId, isActive);
  }

  /** The Session of a trajectory whose messages are all out: totals over them. */
  async head(trajectory: Trajectory): Promise<SessionHead> {
    const { index } = this;
    const { header } = index;
    const { path, tally, leafId, isActive } = trajectory;
    const pathWarnings = await this.stopWarnings(trajectory.stop);
    const startedAt = header.timestamp ?? (path.length === 0 ? undefined : await this.timestampOf(path[0] ?? 0)) ?? new Date(0).toISOString();
    let endedAt: string | undefined;
    for (let position = path.length - 1; position >= 0 && endedAt == null; position -= 1) endedAt = await this.timestampOf(path[position] ?? 0);
    const thinkingLevels: string[] = header.thinkingLevel == null ? [] : [header.thinkingLevel];
    for (const entry of path) {
      const level = ((index.kinds[entry] ?? 0) & LEVEL_CHANGE) === 0 ? undefined : index.levelNames[index.levels[entry] ?? 0];
      if (level != null && !thinkingLevels.includes(level)) thinkingLevels.push(level);
    }
    const session: SessionHead = {
      schemaVersion: SESSION_SCHEMA_VERSION,
      id: trajectory.sessionId,
      source: index.flavor,
      files: [index.path],
      cwd: header.cwd,
      startedAt,
      endedAt: endedAt ?? startedAt,
      models: tally.models,
      branch: { leafId, isActive },
      isSubagent: this.subagent != null,
      usage: tally.usage,
      warnings: [...index.warnings.list(), ...pathWarnings, ...trajectory.contentWarnings.list()],
    };
    if (index.name != null) session.title = index.name;
    if (thinkingLevels.length > 0) session.thinkingLevels = thinkingLevels;
    if (this.subagent != null) {
      session.parent = { sessionId: this.subagent.parentSessionId };
      session.agent = { id: this.subagent.agentId };
    }
    const gastown = tally.gastown(header.cwd);
    if (gastown != null) session.gastown = gastown;
    if (index.systemPrompt != null) session.systemPrompt = index.systemPrompt;
    const forgeEntries = forgeEntriesOnPath(index, path);
    if (forgeEntries != null) session.forgeEntries = forgeEntries;
    return session;
  }

  /** The parsed lines of `entries`, in path order, from a file held in memory: each line found by its offset. */
  *valuesInMemory(whole: Buffer, entries: ArrayLike<number>): Generator<[number, Record<string, unknown>]> {
    for (let position = 0; position < entries.length; position += 1) {
      const entry = entries[position] ?? 0;
      const offset = this.index.offsets[entry] ?? 0;
      const newline = whole.indexOf(10, offset);
      let end = newline === -1 ? whole.length : newline;
      if (end > offset && whole[end - 1] === 13) end -= 1;
      const value = parseObject(whole.toString('utf8', offset, end));
      if (value != null) yield [entry, value];
    }
  }

  /**
   * The parsed lines of `entries` (in path order), streamed. Parents come before children in pi files, so a
   * path is in file order and is read in one forward sweep, one line at a time (each is garbage once
   * mapped); otherwise the few values are gathered first.
   */
  async *entryValues(entries: Int32Array): AsyncGenerator<[number, Record<string, unknown>]> {
    if (entries.length === 0) return;
    const { offsets } = this.index;
    let sorted = true;
    for (let position = 1; position < entries.length && sorted; position += 1) sorted = (entries[position] ?? 0) > (entries[position - 1] ?? 0);
    const wanted = sorted ? entries : entries.slice().sort();
    const gathered = sorted ? undefined : new Map<number, Record<string, unknown>>();
    let cursor = 0;
    for await (const batch of this.lines(offsets[wanted[0] ?? 0])) {
      for (let row = 0; row < batch.count && cursor < wanted.length; row += 1) {
        const entry = wanted[cursor] ?? 0;
        // Lines off the path are never decoded.
        if (batch.byteOffset(row) !== offsets[entry]) continue;
        cursor += 1;
        const value = parseObject(batch.text(row));
        if (value == null) continue;
        if (gathered == null) yield [entry, value];
        else gathered.set(entry, value);
      }
      if (cursor >= wanted.length) break;
    }
    if (gathered != null) {
      for (const entry of entries) {
        const value = gathered.get(entry);
        if (value != null) yield [entry, value];
      }
    }
  }

  /** An entry's id: known for the last entry and the header's leaf, else read from its line. */
  private async idOf(entry: number): Promise<string> {
    const known = this.index.ends.get(entry);
    if (known != null) return known.id;
    const fallback = `line-${this.index.lines[entry]}`;
    for await (const [, value] of this.whole == null ? this.entryValues(Int32Array.of(entry)) : this.valuesInMemory(this.whole, [entry])) return stringField(value, 'id') ?? fallback;
    return fallback;
  }

  /** An entry's time: known for the last entry and the header's leaf, else read from its line. */
  private async timestampOf(entry: number): Promise<string | undefined> {
    if (((this.index.kinds[entry] ?? 0) & TIMESTAMPED) === 0) return undefined;
    const end = this.index.ends.get(entry);
    if (end != null) return end.timestamp;
    for await (const [, value] of this.whole == null ? this.entryValues(Int32Array.of(entry)) : this.valuesInMemory(this.whole, [entry])) return isoTimestamp(value.timestamp);
    return undefined;
  }

  /** The warning for a path that stopped short of a root. */
  private async stopWarnings(stop: PathStop | undefined): Promise<SessionWarning[]> {
    if (stop == null) return [];
    const { index } = this;
    const line = index.lines[stop.entry] ?? 0;
    if (stop.kind === 'missing-parent') {
      const missing = index.unresolved.get(stop.entry);
      const message = `entry ${missing?.childId} names parent ${missing?.parentId}, which is not in the file; the path starts at ${missing?.childId}`;
      return [{ file: index.path, kind: 'missing-parent', message, line }];
    }
    return [{ file: index.path, kind: 'cycle', message: `entry ${await this.idOf(stop.entry)} is its own ancestor; the path stops there`, line }];
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    // Never reached for a valid file: a line that does not parse was warned about and left out of
    // the tree on the first pass. Only a file rewritten between the passes gets here.
    return undefined;
  }
}
