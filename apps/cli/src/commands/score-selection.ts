import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ScoringConfig, type Session, type SessionScore, type SessionWarning, type Verdict } from '@forge/schema';
import { StateStore } from '@forge/state';
import { type CliIo } from '../cli-io.js';
import { loadConfig } from '../config/load-config.js';
import { stateDatabasePath } from '../run/default-paths.js';
import { prepareScoring, scoringTargets } from '../run/score-sessions.js';
import { readSessionFile } from '../sources/source-registry.js';
import { FORGE_VERSION } from '../version.js';
import { type ScoreInputOptions, type ScoringInputFlags, type SessionInputOptions } from './command-options.js';
import { facetRoots, loadSessions } from './load-sessions.js';

/** Outcome warnings that say what was not available rather than what was wrong: reported, yet no exit 3. */
const notices = new Set<SessionWarning['kind']>(['tool-unavailable', 'not-a-repository']);

/** What {@link scoreSelection} scored. */
export interface ScoredSelection {
  scores: SessionScore[];
  config: ScoringConfig;
  /** Problems with the input: session and file warnings, outcome warnings, ids not found. */
  warnings: SessionWarning[];
  /** Whether any warning is about bad input (not only a missing tool or repository): exit 3. */
  badInput: boolean;
}

/**
 * Opens forge's state database (where `forge run` keeps its cache) for `use`: the verdicts live
 * there. Waits, saying so, while a run holds it.
 */
export async function withStateStore<T>(options: { cacheDir?: string }, io: CliIo, use: (store: StateStore) => T): Promise<T> {
  const path = stateDatabasePath(options.cacheDir ?? loadConfig(io.cwd, undefined).config.cacheDir, io.env, io.cwd);
  const store = await StateStore.open(path, {
    cacheVersion: FORGE_VERSION,
    onWait: (holder) => io.stderr.write(`waiting: another forge run (pid ${holder.pid}, since ${holder.startedAt}) is using the state database ${path}\n`),
  });
  try {
    return use(store);
  } finally {
    store.close();
  }
}

/**
 * The sessions `forge score`/`forge review` look at, scored: the files named, the sessions whose
 * ids are named (from the sources read), or every session of the sources. Configuration from
 * forge.config.json (`scoring`, `beadsDirs`, `gitDirs`, `cacheDir`; flags win), verdicts from the
 * state database.
 */
export async function scoreSelection(targets: readonly string[], options: ScoreInputOptions, io: CliIo): Promise<ScoredSelection> {
  const warnings: SessionWarning[] = [];
  const files = targets.filter((target) => isFile(resolve(io.cwd, target)));
  const ids = new Set(targets.filter((target) => !files.includes(target)));
  const sessions: Session[] = [];
  for (const file of files) {
    const read = await readSessionFile(resolve(io.cwd, file));
    warnings.push(...read.fileWarnings);
    sessions.push(...read.sessions);
  }
  if (ids.size > 0 || files.length === 0) {
    const collected = await loadSessions(options, io);
    warnings.push(...collected.fileWarnings);
    const wanted = ids.size === 0 ? collected.sessions : collected.sessions.filter((session) => ids.has(session.id));
    sessions.push(...wanted);
    const found = new Set(wanted.map((session) => session.id));
    for (const id of ids) if (!found.has(id)) warnings.push({ file: id, kind: 'other', message: `no session ${id} in the sources read (and no such file)` });
  }
  for (const session of sessions) warnings.push(...session.warnings);
  const scored = await scoreAsConfigured(sessions, options, io);
  const badInput = warnings.length > 0 || scored.warnings.some((warning) => !notices.has(warning.kind));
  return { scores: scored.scores, config: scored.config, warnings: [...warnings, ...scored.warnings], badInput };
}

/**
 * Scores sessions read outside a run as `forge run` would: forge.config.json's `scoring` block,
 * `beadsDirs` and `gitDirs` (the flags win), the recorded verdicts, the facets of the homes `--root`
 * names. The one set-up of `forge score`, `review`, `compare` and `eval extract`.
 */
export async function scoreAsConfigured(
  sessions: readonly Session[],
  options: SessionInputOptions & ScoringInputFlags,
  io: CliIo,
): Promise<{ scores: SessionScore[]; config: ScoringConfig; warnings: readonly SessionWarning[] }> {
  const { config } = loadConfig(io.cwd, options.config);
  const verdicts: ReadonlyMap<string, Verdict> = await withStateStore({ cacheDir: options.cacheDir ?? config.cacheDir }, io, (store) => store.verdicts());
  const scorer = await prepareScoring(scoringTargets(sessions), {
    beadsDirs: options.beads.length > 0 ? options.beads : (config.beadsDirs ?? []),
    gitDirs: options.git.length > 0 ? options.git : (config.gitDirs ?? []),
    ...(config.scoring == null ? {} : { config: config.scoring }),
    verdicts,
    env: io.env,
    cwd: io.cwd,
    claudeRoots: facetRoots(options, io),
  });
  const scores: SessionScore[] = [];
  for (const session of sessions) scores.push(await scorer.score(session));
  return { scores, config: scorer.config, warnings: scorer.warnings };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
