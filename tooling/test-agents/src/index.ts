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
