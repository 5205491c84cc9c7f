// @forge/cli: the `forge` command, and the whole `forge run` as a function for Node programs.
export { runForge } from './run/run-forge.js';
export type { RunForgeOptions, RunForgeResult, RunProgress } from './run/run-forge.js';
export { mergeForge } from './run/merge-forge.js';
export type { MergeForgeOptions } from './run/merge-forge.js';
export { main } from './main.js';
export type { CliIo, ExitCode } from './cli-io.js';
export { exitCodes } from './cli-io.js';
export { FORGE_VERSION } from './version.js';
export { prepareScoring, scoreSessions, ScoringTargetCollector, scoringTargets } from './run/score-sessions.js';
export type { ScoreSessionsOptions, ScoringTargets, SessionScorer } from './run/score-sessions.js';
