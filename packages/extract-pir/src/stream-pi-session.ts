import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { rawLineBatchesOf, readRawLineBatches, SessionTally, WarningLog, WHOLE_FILE_BYTES, type RawLineBatch, type SourceEvent } from '@forge/reader-kit';
import { SESSION_SCHEMA_VERSION, type Message, type Session, type SessionWarning } from '@forge/schema';
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
import { isJsonObject, isoTimestamp, stringField } from './json-fields.js';
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
  /** The flavor, when the caller knows it (discovery does); otherwise it is read from the file. */
  flavor?: PiFlavor;
  /** Lines longer than this become a `line-too-long` warning. */
  maxLineBytes?: number;
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
  const branches = options.branches ?? 'active';
  if (branches !== 'active' && branches !== 'all') {
    throw new PiSessionError({ message: `unknown branches option ${JSON.stringify(branches)}`, code: 'invalid-option', hint: "use 'active' or 'all'" });
  }
  let whole: Buffer | undefined;
  try {
    if ((await stat(path)).size <= WHOLE_FILE_BYTES) whole = readFileSync(path);
  } catch (error) {
    throw new PiSessionError({ message: 'cannot read the session file', code: 'unreadable-session', location: { file: path }, hint: 'check that the path exists and is readable', cause: error });
  }
  const maxLineBytes = options.maxLineBytes;
  const lines = (start?: number): AsyncIterable<RawLineBatch> | Iterable<RawLineBatch> => {
    const range = { ...(start == null ? {} : { start }), ...(maxLineBytes == null ? {} : { maxLineBytes }) };
    return whole == null ? readRawLineBatches(path, range) : rawLineBatchesOf(whole, range);
  };
  const omp = options.flavor === 'omp' || path.includes('/.omp/');
  const index = await indexPiFile(path, lines(), omp);
  if (index == null) {
    yield { kind: 'file-warning', warning: { file: path, kind: 'empty-file', message: 'empty session file skipped (0 bytes or blank lines only)' } };
    return;
  }
  if (options.flavor != null && options.flavor !== 'omp') index.flavor = options.flavor;
  const subagent = index.flavor === 'omp' ? (await findSubagentParent(path))?.link : undefined;
  const reader = new TrajectoryReader(index, whole, lines, subagent);
  const active = activeLeaf(index);
  if (branches === 'active') {
    yield* reader.read(active, true);
    return;
  }
  const tips = [...index.leaves];
  if (active >= 0 && !tips.includes(active)) tips.push(active);
  if (tips.length === 0) {
    yield* reader.read(-1, true);
    return;
  }
  for (const tip of tips) yield* reader.read(tip, tip === active);
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

/** Pass 2: reads trajectories of an indexed file, one at a time, as events. */
class TrajectoryReader {
  constructor(
    private readonly index: PiFileIndex,
    private readonly whole: Buffer | undefined,
    private readonly lines: (start?: number) => AsyncIterable<RawLineBatch> | Iterable<RawLineBatch>,
    private readonly subagent: SubagentLink | undefined,
  ) {}

  /** One trajectory ending at `leaf` (-1: the empty one) as events. */
  async *read(leaf: number, isActive: boolean): AsyncGenerator<SourceEvent> {
    const { index } = this;
    const { header } = index;
    const { path, stop } = leaf < 0 ? { path: new Int32Array(0), stop: undefined } : pathTo(index, leaf);
    const contentWarnings = new WarningLog(index.path);
    const leafId = leaf < 0 ? null : await this.idOf(leaf);
    const sessionId = isActive ? header.id : `${header.id}@${leafId ?? 'root'}`;
    const plan = contextPlan(index, path);
    const tally = new SessionTally();
    const responses = new ResponseMerger();
    const events = (messages: Message[]): SourceEvent[] =>
      messages.map((message) => {
        tally.add(message);
        return { kind: 'message', sessionId, message };
      });
    const take = (message: Message, entry: number): SourceEvent[] => {
      if (message.role === 'assistant') {
        const level = index.levelNames[index.levels[entry] ?? 0];
        if (level != null) message.thinkingLevel = level;
      }
      return events(responses.push(message));
    };

    if (plan.summary != null) {
      const { summary, entryId, line, timestamp } = plan.summary;
      yield* take(summaryMessage('compaction', summary, { entryId, line, timestamp }), -1);
    }
    const map = (entry: number, value: Record<string, unknown>): Message | undefined => {
      const source = { entryId: stringField(value, 'id') ?? `line-${index.lines[entry]}`, line: index.lines[entry] ?? 0, timestamp: isoTimestamp(value.timestamp) };
      return mapEntry(value, source, contentWarnings).mapped?.message;
    };
    // A file in memory is read without an await per line: this generator is the only async step per event.
    if (this.whole != null) {
      for (const [entry, value] of this.valuesInMemory(this.whole, plan.entries)) {
        const message = map(entry, value);
        if (message != null) yield* take(message, entry);
      }
    } else {
      for await (const [entry, value] of this.entryValues(plan.entries)) {
        const message = map(entry, value);
        if (message != null) yield* take(message, entry);
      }
    }
    yield* events(responses.finish());
    const pathWarnings = await this.stopWarnings(stop);

    const startedAt = header.timestamp ?? (path.length === 0 ? undefined : await this.timestampOf(path[0] ?? 0)) ?? new Date(0).toISOString();
    let endedAt: string | undefined;
    for (let position = path.length - 1; position >= 0 && endedAt == null; position -= 1) endedAt = await this.timestampOf(path[position] ?? 0);
    const thinkingLevels: string[] = header.thinkingLevel == null ? [] : [header.thinkingLevel];
    for (const entry of path) {
      const level = ((index.kinds[entry] ?? 0) & LEVEL_CHANGE) === 0 ? undefined : index.levelNames[index.levels[entry] ?? 0];
      if (level != null && !thinkingLevels.includes(level)) thinkingLevels.push(level);
    }
    const session: Omit<Session, 'messages'> = {
      schemaVersion: SESSION_SCHEMA_VERSION,
      id: sessionId,
      source: index.flavor,
      files: [index.path],
      cwd: header.cwd,
      startedAt,
      endedAt: endedAt ?? startedAt,
      models: tally.models,
      branch: { leafId, isActive },
      isSubagent: this.subagent != null,
      usage: tally.usage,
      warnings: [...index.warnings.list(), ...pathWarnings, ...contentWarnings.list()],
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
    yield { kind: 'session', session };
  }

  /** The parsed lines of `entries`, in path order, from a file held in memory: each line found by its offset. */
  private *valuesInMemory(whole: Buffer, entries: ArrayLike<number>): Generator<[number, Record<string, unknown>]> {
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
  private async *entryValues(entries: Int32Array): AsyncGenerator<[number, Record<string, unknown>]> {
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
