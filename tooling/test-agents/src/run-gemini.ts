import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installAgent } from './install-agent.js';
import { type AgentRunResult, type RunAgentOptions } from './run-agent.js';
import { baseAgentEnv, runAgentProcess } from './run-agent-process.js';
import { listSessionFiles } from './session-files.js';
import { makeTempHome } from './temp-home.js';

/** Options of {@link runGemini}. */
export interface RunGeminiOptions extends RunAgentOptions {
  /** Model id Gemini CLI sends; default `gemini-2.5-pro`. */
  model?: string;
}

/**
 * Writes `~/.gemini/settings.json`: API-key auth (so no Google sign-in), no update check, no
 * usage statistics or telemetry, the workspace trusted.
 */
export async function writeGeminiConfig(home: string, cwd: string): Promise<void> {
  const geminiDir = join(home, '.gemini');
  await mkdir(geminiDir, { recursive: true });
  const settings = {
    security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    ui: { hideBanner: true, hideTips: true },
  };
  await writeFile(join(geminiDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  await writeFile(join(geminiDir, 'trustedFolders.json'), `${JSON.stringify({ [cwd]: 'TRUST_FOLDER' }, null, 2)}\n`);
}

/**
 * Runs Gemini CLI (`@google/gemini-cli`, on node) headless against the stub:
 * `gemini --model <id> --yolo <args…>` (pass `['-p', prompt]`, or `['--resume', 'latest', '-p', prompt]`)
 * with `GOOGLE_GEMINI_BASE_URL` on the stub, a fake `GEMINI_API_KEY` and `GEMINI_CLI_HOME` = the
 * temp home. Sessions go to `<home>/.gemini/tmp/<project>/chats/session-*.jsonl`.
 */
export async function runGemini(options: RunGeminiOptions): Promise<AgentRunResult> {
  const agent = options.agent ?? (await installAgent('gemini'));
  const home = options.home ?? (await makeTempHome());
  await writeGeminiConfig(home, options.cwd);
  const argv = [...agent.command, '--model', options.model ?? 'gemini-2.5-pro', '--yolo', ...options.args];
  const env = {
    ...baseAgentEnv(home),
    GEMINI_CLI_HOME: home,
    GEMINI_API_KEY: 'forge-stub-key',
    GOOGLE_GEMINI_BASE_URL: options.stub.url,
    GEMINI_CLI_NO_RELAUNCH: 'true',
    ...options.env,
  };
  const result = await runAgentProcess({ argv, cwd: options.cwd, env, timeoutMs: options.timeoutMs });
  const sessionsDir = join(home, '.gemini', 'tmp');
  return { ...result, home, sessionsDir, sessionFiles: await listSessionFiles(sessionsDir), argv, agent };
}
