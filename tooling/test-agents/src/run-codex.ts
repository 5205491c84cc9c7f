import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installAgent } from './install-agent.js';
import { type AgentRunResult, type RunAgentOptions } from './run-agent.js';
import { baseAgentEnv, runAgentProcess } from './run-agent-process.js';
import { listSessionFiles } from './session-files.js';
import { stubProviderName } from './stub-provider.js';
import { makeTempHome } from './temp-home.js';

/** Options of {@link runCodex}. */
export interface RunCodexOptions extends RunAgentOptions {
  /** Model id Codex sends; default `gpt-5.1-codex`. */
  model?: string;
  /**
   * The `codex exec` sub-command and its arguments before the prompt: `['resume', '--last']`,
   * `['fork', '<session id>']`. Default none (a new session).
   */
  subcommand?: string[];
}

/** The environment variable the runner's provider reads its (fake) key from. */
const stubKeyVariable = 'FORGE_STUB_API_KEY';

/**
 * Writes `$CODEX_HOME/config.toml`: one model provider on the stub (Responses API), chosen as
 * the default, with the update check, analytics and feedback off.
 */
export async function writeCodexConfig(codexHome: string, stub: RunAgentOptions['stub'], model: string): Promise<void> {
  await mkdir(codexHome, { recursive: true });
  const config = [
    `model = ${JSON.stringify(model)}`,
    `model_provider = ${JSON.stringify(stubProviderName)}`,
    'check_for_update_on_startup = false',
    '[analytics]',
    'enabled = false',
    '[feedback]',
    'enabled = false',
    `[model_providers.${stubProviderName}]`,
    'name = "forge stub"',
    `base_url = ${JSON.stringify(stub.openAiBaseUrl)}`,
    'wire_api = "responses"',
    `env_key = ${JSON.stringify(stubKeyVariable)}`,
    '',
  ].join('\n');
  await writeFile(join(codexHome, 'config.toml'), config);
}

/**
 * Runs Codex CLI (`@openai/codex`, its native binary) non-interactively against the stub:
 * `codex exec [<subcommand…>] --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox <args…>`
 * with `CODEX_HOME=<home>/.codex`, stdin closed and a fresh `$HOME` unless one is given.
 * Rollouts go to `<home>/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`.
 */
export async function runCodex(options: RunCodexOptions): Promise<AgentRunResult> {
  const agent = options.agent ?? (await installAgent('codex'));
  const home = options.home ?? (await makeTempHome());
  const codexHome = join(home, '.codex');
  await writeCodexConfig(codexHome, options.stub, options.model ?? 'gpt-5.1-codex');
  // The sandbox (bwrap) needs namespaces a test machine may not grant; the runs are in temp folders.
  const argv = [...agent.command, 'exec', ...(options.subcommand ?? []), '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', ...options.args];
  const env = { ...baseAgentEnv(home), CODEX_HOME: codexHome, [stubKeyVariable]: 'forge-stub-key', ...options.env };
  const result = await runAgentProcess({ argv, cwd: options.cwd, env, timeoutMs: options.timeoutMs });
  const sessionsDir = join(codexHome, 'sessions');
  return { ...result, home, sessionsDir, sessionFiles: await listSessionFiles(sessionsDir), argv, agent };
}
