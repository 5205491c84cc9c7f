import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installAgent, type AgentName } from './install-agent.js';
import { type AgentRunResult, type RunAgentOptions } from './run-agent.js';
import { baseAgentEnv, runAgentProcess } from './run-agent-process.js';
import { listSessionFiles } from './session-files.js';
import { makeTempHome } from './temp-home.js';

/** Options of {@link runClaude}. */
export interface RunClaudeOptions extends RunAgentOptions {
  /** Which Claude Code: `claude` = 2.1.330 (native binary, default), `claude-2.0` = 2.0.76 (cli.js on node). */
  version?: Extract<AgentName, 'claude' | 'claude-2.0'>;
  /** Main model id sent to the stub; default `claude-sonnet-4-5-20250929`. */
  model?: string;
  /** Pass `--dangerously-skip-permissions` (with `IS_SANDBOX=1`, needed as root); default true. */
  skipPermissions?: boolean;
}

/** The fake API key the runners give Claude Code; the stub accepts anything. */
export const stubAnthropicApiKey = 'sk-ant-api03-forge-stub-key-0000000000000000000000000000000000000000';

/**
 * Writes what a first run would otherwise ask about interactively: onboarding done, the API key
 * approved, the project trusted, bypass-permissions accepted.
 */
export async function writeClaudeConfig(home: string, cwd: string): Promise<void> {
  await mkdir(join(home, '.claude'), { recursive: true });
  const config = {
    numStartups: 1,
    installMethod: 'npm',
    autoUpdates: false,
    hasCompletedOnboarding: true,
    lastOnboardingVersion: '2.1.330',
    bypassPermissionsModeAccepted: true,
    hasAcknowledgedCostThreshold: true,
    customApiKeyResponses: { approved: [stubAnthropicApiKey.slice(-20)], rejected: [] },
    projects: {
      [cwd]: { allowedTools: [], hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true, projectOnboardingSeenCount: 1 },
    },
  };
  await writeFile(join(home, '.claude.json'), `${JSON.stringify(config, null, 2)}\n`);
  const settings = { permissions: { defaultMode: 'bypassPermissions' }, includeCoAuthoredBy: false };
  await writeFile(join(home, '.claude', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** The environment that points Claude Code at the stub and turns off everything else it would call. */
export function claudeEnv(home: string, stub: RunAgentOptions['stub']): Record<string, string> {
  return {
    ...baseAgentEnv(home),
    ANTHROPIC_BASE_URL: stub.anthropicBaseUrl,
    ANTHROPIC_API_KEY: stubAnthropicApiKey,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_BUG_COMMAND: '1',
    DISABLE_COST_WARNINGS: '1',
    CLAUDE_CODE_DISABLE_TERMINAL_TITLE: '1',
    // Claude Code refuses --dangerously-skip-permissions as root outside a sandbox.
    IS_SANDBOX: '1',
  };
}

/**
 * Runs Claude Code in print mode against the stub: `claude -p --model <id>
 * --dangerously-skip-permissions <args…>` with `ANTHROPIC_BASE_URL` on the stub, a fake key,
 * nonessential traffic off and a fresh `$HOME` unless one is given. Sessions go to
 * `<home>/.claude/projects/<encoded cwd>/<session id>.jsonl`.
 */
export async function runClaude(options: RunClaudeOptions): Promise<AgentRunResult> {
  const agent = options.agent ?? (await installAgent(options.version ?? 'claude'));
  const home = options.home ?? (await makeTempHome());
  await writeClaudeConfig(home, options.cwd);
  const model = options.model ?? 'claude-sonnet-4-5-20250929';
  const permissions = options.skipPermissions === false ? [] : ['--dangerously-skip-permissions'];
  const argv = [...agent.command, '-p', '--model', model, ...permissions, ...options.args];
  const env = { ...claudeEnv(home, options.stub), ...options.env };
  const result = await runAgentProcess({ argv, cwd: options.cwd, env, timeoutMs: options.timeoutMs });
  const sessionsDir = join(home, '.claude', 'projects');
  return { ...result, home, sessionsDir, sessionFiles: await listSessionFiles(sessionsDir), argv, agent };
}

/** {@link runClaude} with Claude Code 2.0.76 (the last 2.0.x, `cli.js` on node). */
export function runClaude20(options: Omit<RunClaudeOptions, 'version'>): Promise<AgentRunResult> {
  return runClaude({ ...options, version: 'claude-2.0' });
}
