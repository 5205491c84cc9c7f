import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { type SessionSource } from '@forge/schema';
import { type CachedFile, type ReadUnit, type UnitCacheBlock, type UnitResultCache } from '@forge/state';
import { type RowReference, type ThreadRowSpill } from '@forge/transform';
import { FORGE_VERSION } from '../version.js';
import { redactionDigest } from './redaction-digest.js';
import { type UnitBuildOptions, type UnitResult, type UnitSession, type UnitTask } from './run-unit.js';
import { type ViewSpill } from './view-spill.js';

/** A unit's handled result as its segment keeps it after its rows and views: its sessions' rows as references, each view by its byte length. */
interface UnitRecord extends Pick<UnitResult, 'inputs' | 'skippedFiles' | 'fileWarnings' | 'sessionWarnings'> {
  /** Where the unit's block started when its references were made (a compacted block moved). */
  base: number;
  sessions: Array<Omit<UnitSession, 'view'> & { view?: number }>;
}

/**
 * The unit cache's key of a run: everything a unit's handled result depends on besides its files
 * (the options that shape rows, the redaction rules and user name, the tokenizer file, how files
 * are read, the sources, scoring and preference flags, forge's version). A changed one misses every unit.
 */
export function unitCacheKey(build: UnitBuildOptions, task: Pick<UnitTask, 'readOptions' | 'sources' | 'score' | 'preferences'>): string {
  const { redaction, tokenizer, ...shaping } = build;
  const tokenizerFile = tokenizer == null ? undefined : statSync(tokenizer, { throwIfNoEntry: false });
  const key = {
    forge: FORGE_VERSION,
    shaping,
    redaction: redactionDigest(redaction ?? {}),
    userName: redaction?.userName ?? userInfo().username,
    tokenizer: tokenizer == null ? null : [tokenizer, tokenizerFile?.size, tokenizerFile?.mtimeMs],
    readOptions: task.readOptions,
    sources: task.sources,
    score: task.score,
    preferences: task.preferences,
  };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

/**
 * On the handling thread, once a unit's rows are in `rows` from `start` on: puts its views and its
 * record after them, so the whole result is one block of the spill (a unit cache segment). Returns the block.
 */
export function keepUnitRecord(rows: ThreadRowSpill, start: number, result: UnitResult, viewTexts: readonly (string | undefined)[]): UnitCacheBlock {
  const tail = rows.size - start;
  const sessions = result.sessions.map(({ view: _view, ...session }, position) => {
    const view = viewTexts[position];
    return view == null ? session : { ...session, view: (rows.put(view) as { length: number }).length };
  });
  const record: UnitRecord = { base: start, inputs: result.inputs, skippedFiles: result.skippedFiles, fileWarnings: result.fileWarnings, sessionWarnings: result.sessionWarnings, sessions };
  const { length: recordLength } = rows.put(JSON.stringify(record)) as { length: number };
  return { segment: basename(rows.path), start, length: rows.size - start, tail, recordLength };
}

/** What serving a unit from the cache gave: its result, or why there is none. */
export type ServedUnit = { kind: 'hit'; result: UnitResult } | { kind: 'changed' } | { kind: 'miss' };

/**
 * One run's use of the unit cache, on the merging thread: serves an unchanged unit without reading
 * or processing it (its rows adopted in place from the segment, its views added to a view spill to
 * be scored like the others), records the blocks of the units handled, and commits at the end.
 */
export class RunUnitCache {
  readonly #cache: UnitResultCache;
  readonly #key: string;
  readonly #views: readonly ViewSpill[];
  #served = 0;

  /** `views`: the spills served views go to, in turn (one per thread, so scoring them is shared out); none when not scoring. */
  constructor(cache: UnitResultCache, key: string, views: readonly ViewSpill[]) {
    this.#cache = cache;
    this.#key = key;
    this.#views = views;
  }

  /** The unit's cached result, when it was handled with this key from the same files. */
  serve(unit: ReadUnit): ServedUnit {
    const found = this.#cache.lookup(unitId(unit), this.#key, unit.files);
    if (found.kind !== 'hit') return found;
    const { entry, bytes } = found;
    let record: UnitRecord;
    try {
      record = JSON.parse(bytes.toString('utf8', bytes.length - entry.recordLength)) as UnitRecord;
    } catch {
      // A segment changed by hand: the unit is handled again.
      return { kind: 'miss' };
    }
    const shift = entry.start - record.base;
    const moved = (reference: RowReference): RowReference => (typeof reference === 'string' ? reference : { offset: reference.offset + shift, length: reference.length });
    const views = this.#views.length === 0 ? undefined : this.#views[this.#served++ % this.#views.length]!;
    let viewAt = 0;
    const sessions = record.sessions.map(({ view, ...session }): UnitSession => {
      const processed = session.processed.status === 'skipped' ? session.processed : { ...session.processed, rows: Object.fromEntries(Object.entries(session.processed.rows).map(([format, references]) => [format, references.map(moved)])) };
      if (view == null || views == null) return { ...session, processed };
      const text = bytes.toString('utf8', viewAt, viewAt + view);
      viewAt += view;
      return { ...session, processed, view: views.add({ active: session.active, candidate: session.candidate != null }, text) };
    });
    // Views are appended a few hundred units at a time (and the rest by flushViews()).
    if (this.#served % 256 === 0) this.flushViews();
    return {
      kind: 'hit',
      result: {
        inputs: record.inputs.map((input) => ({ ...input, cached: true })),
        skippedFiles: record.skippedFiles,
        fileWarnings: record.fileWarnings,
        filesRead: 0,
        sessions,
        sessionWarnings: record.sessionWarnings,
        rowFile: join(this.#cache.directory, entry.segment),
      },
    };
  }

  /** Writes the served views still pending: before the spills are scored. */
  flushViews(): void {
    for (const views of this.#views) views.flush();
  }

  /** Records a handled unit's block; not one whose files could not all be read (tried again next run). */
  keep(unit: ReadUnit, result: UnitResult): void {
    if (result.block == null || result.fileWarnings.some((warning) => warning.kind === 'unreadable-file')) return;
    const fingerprints = new Map(result.inputs.map((input) => [input.path, input.fingerprint]));
    const files: CachedFile[] = [];
    for (const file of unit.files) {
      const fingerprint = fingerprints.get(file.path);
      if (fingerprint == null || fingerprint === '') return;
      files.push({ path: file.path, source: file.source, size: file.size, mtimeMs: file.mtimeMs, fingerprint });
    }
    this.#cache.record({ id: unitId(unit), source: unit.files[0]!.source, key: this.#key, files, ...result.block });
  }

  /** Once the output is written: commits the entries, drops those of units gone (of `sources`), deletes and compacts segments. */
  commit(sources: ReadonlySet<SessionSource>, units: readonly ReadUnit[]): void {
    this.#cache.commit(sources, new Set(units.map(unitId)));
  }
}

/** A unit's id in the cache: its reader and first file. */
function unitId(unit: ReadUnit): string {
  return `${unit.reader.name}:${unit.files[0]!.path}`;
}
