import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installAgent } from './install-agent.js';
import { type AgentRunResult, type RunAgentOptions } from './run-agent.js';
import { baseAgentEnv, runAgentProcess } from './run-agent-process.js';
import { listSessionFiles } from './session-files.js';
import { type StubApi } from './stub-model/types.js';
import { defaultStubModelId, stubProviderName, stubProvidersConfig, type StubModelCost } from './stub-provider.js';
import { makeTempHome } from './temp-home.js';

/** Options of {@link runPi}. */
export interface RunPiOptions extends RunAgentOptions {
  /** The wire protocol pi uses to reach the stub; default `anthropic-messages`. */
  api?: StubApi;
  /** Model id pi sends; default `claude-sonnet-4-5` (anthropic) or `gpt-4.1` (OpenAI APIs). */
  model?: string;
  /** The model's prices (USD per million tokens): pi then records each response's `usage.cost`; default unpriced (cost 0). */
  modelCost?: StubModelCost;
}

/** Writes `~/.pi/agent/models.json` with one provider that points at the stub. */
export async function writePiConfig(home: string, stub: RunAgentOptions['stub'], api: StubApi, model: string, cost?: StubModelCost): Promise<void> {
  const agentDir = join(home, '.pi', 'agent');
  await mkdir(agentDir, { recursive: true });
  await writeFile(join(agentDir, 'models.json'), `${JSON.stringify(stubProvidersConfig(stub, api, model, {}, cost), null, 2)}\n`);
}

/**
 * Runs pi (`@mariozechner/pi-coding-agent`) in print mode against the stub:
 * `pi --provider forge-stub --model <id> --print <args…>` with `PI_OFFLINE=1`, stdin closed and
 * a fresh `$HOME` unless one is given. Sessions go to `<home>/.pi/agent/sessions`.
 */
export async function runPi(options: RunPiOptions): Promise<AgentRunResult> {
  const agent = options.agent ?? (await installAgent('pi'));
  const home = options.home ?? (await makeTempHome());
  const api = options.api ?? 'anthropic-messages';
  const model = options.model ?? defaultStubModelId(api);
  await writePiConfig(home, options.stub, api, model, options.modelCost);
  const argv = [...agent.command, '--provider', stubProviderName, '--model', model, '--print', ...options.args];
  const env = { ...baseAgentEnv(home), PI_OFFLINE: '1', PI_SKIP_VERSION_CHECK: '1', ...options.env };
  const result = await runAgentProcess({ argv, cwd: options.cwd, env, timeoutMs: options.timeoutMs });
  const sessionsDir = join(home, '.pi', 'agent', 'sessions');
  return { ...result, home, sessionsDir, sessionFiles: await listSessionFiles(sessionsDir), argv, agent };
}
