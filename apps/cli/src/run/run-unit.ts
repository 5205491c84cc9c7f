import { type ReadFileOptions, type SourceFile } from '@forge/reader-kit';
import { type Session, type SessionSource } from '@forge/schema';
import { readUnit, type ReadUnitOptions, type UnitCacheBlock, type UnitRead } from '@forge/state';
import { createBuilderProcessor, createThreadRowSpill, loadTokenizerJsonCounter, type DatasetBuilderOptions, type PairCandidate, type ProcessedSession, type SessionProcessor, type ThreadRowSpill } from '@forge/transform';
import { readerNamed } from '../sources/source-registry.js';
import { type ScoringTarget } from './score-sessions.js';
import { keepUnitRecord } from './unit-cache.js';
import { ViewSpill, type ViewRef } from './view-spill.js';
import { scoringView } from '@forge/scoring';

/** How the per-session path is built: the dataset builder's options that shape rows (plain data, it crosses to a worker). */
export type UnitBuildOptions = Pick<DatasetBuilderOptions, 'formats' | 'noise' | 'systemPrompt' | 'tokens' | 'redaction'> & {
  /** A local `tokenizer.json` (each thread loads its own counter). */
  tokenizer?: string;
};

/** One unit of `forge run` (a Claude Code project's files, or one standalone file) and how to handle it. */
export interface UnitTask {
  /** The reader's name (`SessionSourceReader.name`). */
  reader: string;
  files: SourceFile[];
  /** False: read every file again (`--full`), still refreshing the per-file read cache when `fileCache` is set. */
  reuseCache: boolean;
  /**
   * Read through the per-file read cache (the files of a Claude Code project whose cached unit
   * changed: the next change re-reads only the file changed). Otherwise nothing is cached per file.
   */
  fileCache?: boolean;
  /** Keep the handled result in the thread's row spill (a unit cache segment): the result's `block` says where. */
  keep?: boolean;
  readOptions: ReadFileOptions;
  sources: SessionSource[];
  /** Return each session's scoring target, and spill its view in the thread's {@link ViewSpill}. */
  score: boolean;
  /** Return each session's preference-pair candidate. */
  preferences: boolean;
}

/** One session of a unit, handled: its rows and summaries, never the Session itself. */
export interface UnitSession {
  /** The processed session: its rows are references into the result's `rowFile` (never cloned as text), else the row strings. */
  processed: ProcessedSession;
  /** On the active branch (an abandoned one is preference material only). */
  active: boolean;
  /** What scoring needs to know before it scores anything: where to read outcomes. */
  target?: ScoringTarget;
  /** Where the session's scoring view waits to be scored (the spill of the thread that read it). */
  view?: ViewRef;
  /** The session as a preference-pair candidate, before its score is known. */
  candidate?: Omit<PairCandidate, 'score'>;
}

/** What handling a unit gave: its files' bookkeeping and its sessions, handled. */
export interface UnitResult extends Omit<UnitRead, 'sessions'> {
  sessions: UnitSession[];
  /** The handling thread's row spill the sessions' rows are in (flushed), when it has one. */
  rowFile?: string;
  /** Warnings the unit's sessions carry. */
  sessionWarnings: number;
  /** Where the kept result lies in `rowFile` (a task with `keep`), for the unit cache's entry. */
  block?: UnitCacheBlock;
}

/**
 * What a thread handles units with: the per-file read cache, the per-session path, the spill its
 * rows go to (the processor's row store) and, when scoring, its view spill.
 */
export interface UnitContext {
  cache?: ReadUnitOptions['cache'];
  /** The end of the unit handled last: a unit's sessions are processed after the previous unit's, so its rows and record are one block of the spill. */
  processed?: Promise<unknown>;
  processor: SessionProcessor;
  rows?: ThreadRowSpill;
  views?: ViewSpill;
}

/** Where a thread's {@link UnitContext} puts what it makes, and the read cache it uses. */
export interface UnitContextOptions {
  build: UnitBuildOptions;
  cache?: ReadUnitOptions['cache'];
  /** The folder of the thread's row spill (`createThreadRowSpill`); none: rows stay strings. */
  rowDirectory?: string;
  /** When scoring: the folder of the thread's view spill (`ViewSpill.forThread`). */
  spillDirectory?: string;
}

/** A thread's per-session path with the run's options: a worker's, or this thread's with `--jobs 1`. */
export async function createUnitContext({ build, cache, rowDirectory, spillDirectory }: UnitContextOptions): Promise<UnitContext> {
  const { tokenizer, ...options } = build;
  const tokenCounter = tokenizer == null ? undefined : await loadTokenizerJsonCounter({ tokenizerJsonPath: tokenizer });
  const rows = rowDirectory == null ? undefined : createThreadRowSpill(rowDirectory);
  return {
    processor: await createBuilderProcessor({ ...options, ...(tokenCounter == null ? {} : { tokenCounter }) }, rows),
    ...(rows == null ? {} : { rows }),
    ...(cache == null ? {} : { cache }),
    ...(spillDirectory == null ? {} : { views: ViewSpill.forThread(spillDirectory) }),
  };
}

/**
 * The whole per-session path of one unit, where it runs (a worker, or this thread with `--jobs 1`):
 * read its files (unchanged ones from the cache), link a group, then redact, count tokens, build
 * every format's rows and the duplicate signature of each session, and spill its scoring view in the thread's file.
 * Sessions stay here; the caller gets row strings and small summaries.
 */
export async function handleUnit(task: UnitTask, context: UnitContext): Promise<UnitResult> {
  const reader = readerNamed(task.reader);
  const { sessions: read, ...bookkeeping } = await readUnit(
    { reader, files: task.files },
    { ...(context.cache == null || task.fileCache !== true ? {} : { cache: context.cache }), reuseCache: task.reuseCache, readOptions: task.readOptions, sources: new Set(task.sources) },
  );
  const views = task.score ? context.views : undefined;
  if (task.score && views == null) throw new Error('scoring a unit needs a view spill');
  // Units read side by side (this thread with --jobs 1) are processed one after another.
  const previous = context.processed;
  const processing = (async (): Promise<UnitResult> => {
    await previous?.catch(() => undefined);
    const rows = context.rows;
    const start = rows?.size ?? 0;
    const sessions: UnitSession[] = [];
    const viewTexts: (string | undefined)[] = [];
    let sessionWarnings = 0;
    for (const session of read) {
      sessionWarnings += session.warnings.length;
      const processed = await context.processor.process(session, session.branch.isActive ? {} : { preferenceOnly: true });
      const view = views == null ? undefined : JSON.stringify(scoringView(session));
      viewTexts.push(view);
      sessions.push({
        processed,
        active: session.branch.isActive,
        ...(view == null ? {} : { target: targetOf(session), view: views!.add({ active: session.branch.isActive, candidate: task.preferences }, view) }),
        ...(task.preferences ? { candidate: { sessionId: session.id, source: session.source, file: session.files[0]!, branch: session.branch } } : {}),
      });
    }
    const result: UnitResult = { ...bookkeeping, sessions, sessionWarnings, ...(rows == null ? {} : { rowFile: rows.path }) };
    if (task.keep === true && rows != null) result.block = keepUnitRecord(rows, start, result, viewTexts);
    views?.flush();
    rows?.flush();
    return result;
  })();
  context.processed = processing;
  return processing;
}

function targetOf(session: Session): ScoringTarget {
  const beadIds = session.gastown?.beadIds ?? [];
  return { cwd: session.cwd, id: session.id, ...(beadIds.length === 0 ? {} : { gastown: { beadIds } }) };
}
