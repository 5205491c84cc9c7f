import { join } from 'node:path';
import { installAgent } from './install-agent.js';
import { type AgentRunResult, type RunAgentOptions } from './run-agent.js';
import { baseAgentEnv, runAgentProcess } from './run-agent-process.js';
import { listSessionFiles } from './session-files.js';
import { makeTempHome } from './temp-home.js';

/** Options of {@link runOpencode}. */
export interface RunOpencodeOptions extends Omit<RunAgentOptions, 'args'> {
  /** The prompt. */
  message: string;
  /** Arguments before the message: `['--continue']`, `['--session', id, '--fork']`. */
  args?: string[];
  /** Model of the `anthropic` provider OpenCode sends; default `claude-sonnet-4-5`. */
  model?: string;
}

/**
 * The config OpenCode reads from `OPENCODE_CONFIG_CONTENT`: its built-in `anthropic` provider
 * pointed at the stub, no auto-update, no sharing.
 */
export function opencodeConfig(stub: RunAgentOptions['stub'], model: string): Record<string, unknown> {
  return {
    $schema: 'https://opencode.ai/config.json',
    autoupdate: false,
    share: 'disabled',
    model: `anthropic/${model}`,
    provider: { anthropic: { options: { baseURL: `${stub.anthropicBaseUrl}/v1`, apiKey: 'forge-stub-key' } } },
  };
}

/**
 * Runs OpenCode (`opencode-ai`, its native binary) non-interactively against the stub:
 * `opencode run [<args…>] <message words…>` (OpenCode joins the words with spaces and quotes a
 * word that holds a space, so the message goes word by word) with the config in
 * `OPENCODE_CONFIG_CONTENT`, the models.dev fetch, auto-update, LSP downloads and default plugins
 * off. Sessions go to `<home>/.local/share/opencode/opencode.db` (SQLite, WAL).
 */
export async function runOpencode(options: RunOpencodeOptions): Promise<AgentRunResult> {
  const agent = options.agent ?? (await installAgent('opencode'));
  const home = options.home ?? (await makeTempHome());
  const argv = [...agent.command, 'run', ...(options.args ?? []), ...options.message.split(' ')];
  const env = {
    ...baseAgentEnv(home),
    OPENCODE_CONFIG_CONTENT: JSON.stringify(opencodeConfig(options.stub, options.model ?? 'claude-sonnet-4-5')),
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_PURE: '1',
    ...options.env,
  };
  const result = await runAgentProcess({ argv, cwd: options.cwd, env, timeoutMs: options.timeoutMs });
  const sessionsDir = join(home, '.local', 'share', 'opencode');
  return { ...result, home, sessionsDir, sessionFiles: await listSessionFiles(sessionsDir, '.db'), argv, agent };
}
