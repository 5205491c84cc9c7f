import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { installAgent } from './install-agent.js';
import { type AgentRunResult, type RunAgentOptions } from './run-agent.js';
import { baseAgentEnv, runAgentProcess } from './run-agent-process.js';
import { listSessionFiles } from './session-files.js';
import { type StubApi } from './stub-model/types.js';
import { defaultStubModelId, stubProviderName, stubProvidersConfig } from './stub-provider.js';
import { makeTempHome } from './temp-home.js';

/** Options of {@link runOmp}. */
export interface RunOmpOptions extends RunAgentOptions {
  /** The wire protocol omp uses to reach the stub; default `anthropic-messages`. */
  api?: StubApi;
  /** Model id omp sends; default as for pi. */
  model?: string;
  /** Add `--no-title` so omp asks no model for a session title; default true. */
  noTitle?: boolean;
}

/**
 * Writes `~/.omp/agent/models.yml` (one provider on the stub; JSON is valid YAML) and
 * `~/.omp/agent/config.yml` with the update and plugin checks and model discovery off.
 */
export async function writeOmpConfig(home: string, stub: RunAgentOptions['stub'], api: StubApi, model: string): Promise<void> {
  const agentDir = join(home, '.omp', 'agent');
  await mkdir(agentDir, { recursive: true });
  // `auth: apiKey`: without it omp shapes anthropic-messages requests like an OAuth (Claude Code) client.
  const models = stubProvidersConfig(stub, api, model, { auth: 'apiKey' });
  await writeFile(join(agentDir, 'models.yml'), `${JSON.stringify(models, null, 2)}\n`);
  const config = {
    startup: { checkUpdate: false },
    marketplace: { autoUpdate: 'off' },
    // omp discovers models in the background: local servers (Ollama, llama.cpp, LM Studio ports)
    // and Charm Hyper's public catalog (a DNS lookup of hyper.charm.land). The stub is the only model.
    disabledProviders: ['ollama', 'llama.cpp', 'lm-studio', 'charm-hyper'],
  };
  await writeFile(join(agentDir, 'config.yml'), `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Runs omp (`@oh-my-pi/pi-coding-agent`, on bun from npm's `bun` package) in print mode:
 * `bun …/dist/cli.js --provider forge-stub --model <id> --no-title --print <args…>`, stdin closed,
 * fresh `$HOME` unless given. Sessions go to `<home>/.omp/agent/sessions`.
 */
export async function runOmp(options: RunOmpOptions): Promise<AgentRunResult> {
  const agent = options.agent ?? (await installAgent('omp'));
  const home = options.home ?? (await makeTempHome());
  const api = options.api ?? 'anthropic-messages';
  const model = options.model ?? defaultStubModelId(api);
  await writeOmpConfig(home, options.stub, api, model);
  const title = options.noTitle === false ? [] : ['--no-title'];
  const argv = [...agent.command, '--provider', stubProviderName, '--model', model, ...title, '--print', ...options.args];
  const bunDir = agent.command[0] == null ? [] : [dirname(agent.command[0])];
  const env = { ...baseAgentEnv(home, bunDir), PI_OFFLINE: '1', ...options.env };
  const result = await runAgentProcess({ argv, cwd: options.cwd, env, timeoutMs: options.timeoutMs });
  const sessionsDir = join(home, '.omp', 'agent', 'sessions');
  return { ...result, home, sessionsDir, sessionFiles: await listSessionFiles(sessionsDir), argv, agent };
}
