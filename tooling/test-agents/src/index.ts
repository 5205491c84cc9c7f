export {
  startStubModel,
  withStubModel,
  doneTurn,
  type StubModel,
  type StubModelOptions,
} from './stub-model/start-stub-model.js';
export { defaultSideResponder, isHarnessSideRequest, sideUsage } from './stub-model/side-requests.js';
export {
  type RecordedRequest,
  type ScriptedToolCall,
  type ScriptedTurn,
  type ServedResponse,
  type StubApi,
  type StubRequest,
  type TurnUsage,
} from './stub-model/types.js';
export {
  agentCacheDir,
  agentSpecs,
  AgentInstallError,
  installAgent,
  isAgentInstalled,
  type AgentName,
  type AgentSpec,
  type InstallAgentOptions,
  type InstalledAgent,
} from './install-agent.js';
export { type AgentRunResult, type RunAgentOptions } from './run-agent.js';
export { baseAgentEnv, defaultRunTimeoutMs, runAgentProcess, type ProcessResult, type RunAgentProcessOptions } from './run-agent-process.js';
export { runPi, writePiConfig, type RunPiOptions } from './run-pi.js';
export { defaultStubModelId, stubProviderName, stubProvidersConfig } from './stub-provider.js';
export type { StubModelCost } from './stub-provider.js';
export { runOmp, writeOmpConfig, type RunOmpOptions } from './run-omp.js';
export {
  claudeEnv,
  runClaude,
  runClaude20,
  stubAnthropicApiKey,
  writeClaudeConfig,
  type RunClaudeOptions,
} from './run-claude.js';
export { runCcusage, type RunCcusageOptions } from './run-ccusage.js';
export { runCodex, writeCodexConfig, type RunCodexOptions } from './run-codex.js';
export { runGemini, writeGeminiConfig, type RunGeminiOptions } from './run-gemini.js';
export { opencodeConfig, runOpencode, type RunOpencodeOptions } from './run-opencode.js';
export { makeTempHome, makeTempProject } from './temp-home.js';
export { listSessionFiles, readJsonlRecords } from './session-files.js';
export {
  expectationOf,
  expectedUsage,
  scenarios,
  subagentPrompt,
  sumUsage,
  type Scenario,
  type ScenarioAgent,
  type ScenarioExpectation,
  type ScenarioToolCall,
  type ScenarioTurn,
  type ToolsWithErrorOptions,
} from './scenarios.js';
export { demoHome, readRealFixtureExpectations, sharedFixturesRoot, type RealFixtureFile } from './shared-fixtures.js';
export { createGitRepository, git, gitEnv, type FixtureCommit } from './git-repository.js';
export { bdStandInScript, installBdStandIn } from './install-bd-stand-in.js';
export { makeGasTownTown, type GasTownTown } from './gastown-town.js';
export { countTrajectory, tokensOnly, type TrajectoryCounts } from './trajectory-counts.js';
export { snapshotTree } from './snapshot-tree.js';
export { expectMatchesStub, type StubComparison } from './expect-matches-stub.js';
export { readReaderHome, sessionsUnder } from './read-reader-home.js';
export { runBeadsTownScenario, type BeadsTownRun, type BeadsTownScenario } from './beads-town-scenario.js';
