import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { readCommitPatches, readOutcomes } from '@forge/extract-outcomes';
import { indexOutcomes, linkSession, scoreSession, type OutcomeIndex, type ScoringView } from '@forge/scoring';
import { scoringConfigSchema, type Outcomes, type ScoringConfig, type ScoringConfigInput, type Session, type SessionScore, type SessionWarning, type Verdict } from '@forge/schema';

/** Options of {@link scoreSessions} and {@link prepareScoring}; every one has a default. */
export interface ScoreSessionsOptions {
  /** More beads stores (`--beads DIR`); the first also stands for sessions whose cwd has no `.beads/`. */
  beadsDirs?: readonly string[];
  /** More git repositories (`--git DIR`); the first also stands for sessions whose cwd is in none. */
  gitDirs?: readonly string[];
  /** forge.config.json's `scoring` block (defaults filled in here). */
  config?: ScoringConfigInput;
  /** Recorded verdicts (the state database's), by session id: `good`/`bad` override the score. */
  verdicts?: ReadonlyMap<string, Verdict>;
  /** Claude Code config roots whose session facets to read (default `$CLAUDE_CONFIG_DIR`, else `~/.claude`). */
  claudeRoots?: readonly string[];
  /** `auto` (default): the bd CLI when it is on PATH; `never`: bd's files only. */
  bd?: 'auto' | 'never';
  /** The environment (PATH for bd and git; default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** The folder relative `beadsDirs`/`gitDirs` start from (default `process.cwd()`). */
  cwd?: string;
}

/** What the sessions to score have in common, known before scoring any of them: where to read outcomes. */
export interface ScoringTargets {
  cwds: Iterable<string>;
  sessionIds?: Iterable<string>;
  beadIds?: Iterable<string>;
}

/** Scores sessions one at a time against outcomes read once (see {@link prepareScoring}). */
export interface SessionScorer {
  readonly config: ScoringConfig;
  /**
   * Links, reads the linked commits' diffs and scores one session — a `Session`, or its
   * `scoringView` (the same score, a few percent of the bytes: what a run keeps of each session
   * until every folder is known); never throws for bad input.
   */
  score(session: ScoringView): Promise<SessionScore>;
  /** Problems reading the outcomes and the commits (file:line, kind): the run goes on without them. */
  readonly warnings: readonly SessionWarning[];
}

/** What of one session {@link ScoringTargetCollector} keeps: its folder, id and the beads its Gas Town context names. */
export interface ScoringTarget {
  cwd: string;
  id: string;
  gastown?: { beadIds: readonly string[] } | undefined;
}

/** Gathers the scoring targets of sessions (or their scoring views) as they stream by (only their folders, ids and named beads are kept). */
export class ScoringTargetCollector {
  readonly #cwds = new Set<string>();
  readonly #sessionIds = new Set<string>();
  readonly #beadIds = new Set<string>();

  add(session: ScoringTarget): void {
    if (session.cwd !== '') this.#cwds.add(session.cwd);
    this.#sessionIds.add(session.id);
    for (const bead of session.gastown?.beadIds ?? []) this.#beadIds.add(bead);
  }

  /** The targets gathered, sorted (the outcomes read do not depend on the order sessions came in). */
  targets(): { cwds: string[]; sessionIds: string[]; beadIds: string[] } {
    return { cwds: [...this.#cwds].sort(), sessionIds: [...this.#sessionIds].sort(), beadIds: [...this.#beadIds].sort() };
  }
}

/** The targets of a set of sessions: their folders, ids and the beads their Gas Town context names. */
export function scoringTargets(sessions: Iterable<ScoringTarget>): { cwds: string[]; sessionIds: string[]; beadIds: string[] } {
  const collector = new ScoringTargetCollector();
  for (const session of sessions) collector.add(session);
  return collector.targets();
}

/**
 * What scoring reads once for every session it scores: the outcomes of the targets' folders, the
 * configuration and the recorded verdicts. Plain data: `forge run` hands it to its worker threads
 * (the outcomes as JSON), which index it and score the views spilled.
 */
export interface ScoringOutcomes {
  outcomes: Outcomes;
  config: ScoringConfig;
  verdicts?: ReadonlyMap<string, Verdict>;
  /** PATH for git, when the scorer reads the linked commits' diffs. */
  env: Readonly<Record<string, string | undefined>>;
  /** Problems reading the outcomes (file:line, kind). */
  warnings: readonly SessionWarning[];
}

/**
 * The first half of {@link prepareScoring}: reads the outcomes (beads stores, town events, git,
 * facets) of the targets' folders once, read-only, with the configuration and verdicts to score with.
 */
export async function readScoringOutcomes(targets: ScoringTargets, options: ScoreSessionsOptions = {}): Promise<ScoringOutcomes> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const outcomes = await readOutcomes({
    cwds: [...targets.cwds],
    beadsDirs: (options.beadsDirs ?? []).map((dir) => resolve(cwd, dir)),
    gitDirs: (options.gitDirs ?? []).map((dir) => resolve(cwd, dir)),
    ...(options.claudeRoots == null ? {} : { claudeRoots: options.claudeRoots }),
    ...(targets.sessionIds == null ? {} : { sessionIds: [...targets.sessionIds] }),
    ...(targets.beadIds == null ? {} : { beadIds: [...targets.beadIds] }),
    bd: options.bd ?? 'auto',
    env,
    homeDirectory: env.HOME ?? homedir(),
  });
  return { outcomes, config: scoringConfigSchema.parse(options.config ?? {}), ...(options.verdicts == null ? {} : { verdicts: options.verdicts }), env, warnings: outcomes.warnings };
}

/**
 * The second half of {@link prepareScoring}, where the sessions are (this thread, or a run's
 * worker): indexes the outcomes and returns a scorer that links each session, reads only its
 * linked commits' diffs and scores it with the configuration and its recorded verdict.
 */
export function createSessionScorer({ outcomes, config, verdicts, env, warnings: read }: ScoringOutcomes): SessionScorer {
  const warnings: SessionWarning[] = [...read];
  const index: OutcomeIndex = indexOutcomes(outcomes);
  return {
    config,
    warnings,
    async score(session) {
      const linkage = linkSession(session, index, config);
      const shas = linkage.commits.map((link) => link.commit.sha);
      const patches = linkage.repositoryId == null || shas.length === 0 ? [] : await readCommitPatches(linkage.repositoryId, shas, { env, onWarning: (warning) => warnings.push(warning) });
      const verdict = verdicts?.get(session.id);
      return scoreSession(session, index, { linkage, patches, config, ...(verdict == null ? {} : { verdict }) });
    },
  };
}

/**
 * The one composition of scoring every command uses (`forge score`, `forge review`, `forge run`):
 * {@link readScoringOutcomes}, then {@link createSessionScorer} (`forge run` runs the second half
 * in its worker threads).
 */
export async function prepareScoring(targets: ScoringTargets, options: ScoreSessionsOptions = {}): Promise<SessionScorer> {
  return createSessionScorer(await readScoringOutcomes(targets, options));
}

/** Scores every session (in the order given) against the outcomes of their folders; see {@link prepareScoring}. */
export async function scoreSessions(sessions: readonly Session[], options: ScoreSessionsOptions = {}): Promise<{ scores: SessionScore[]; warnings: readonly SessionWarning[] }> {
  const scorer = await prepareScoring(scoringTargets(sessions), options);
  const scores: SessionScore[] = [];
  for (const session of sessions) scores.push(await scorer.score(session));
  return { scores, warnings: scorer.warnings };
}
