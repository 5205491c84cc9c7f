import { installAgent, type InstalledAgent } from './install-agent.js';
import { baseAgentEnv, runAgentProcess, type ProcessResult } from './run-agent-process.js';
import { makeTempHome } from './temp-home.js';

/** Options of {@link runCcusage}. */
export interface RunCcusageOptions {
  /** ccusage arguments, e.g. `['session', '--json', '--offline']`. */
  args: string[];
  /** The Claude Code config root to read (`<home>/.claude` of a `runClaude` run): `CLAUDE_CONFIG_DIR`. */
  claudeConfigDir?: string;
  /** `$HOME` for ccusage (its pi/codex readers look there); a fresh temp folder when omitted. */
  home?: string;
  /** Extra environment, applied last. */
  env?: Record<string, string>;
  timeoutMs?: number;
  agent?: InstalledAgent;
}

/**
 * Runs ccusage 20.0.24 (a reference reader of the same files) with a hermetic environment.
 * Pass `--offline` so it prices from its bundled table instead of fetching one.
 */
export async function runCcusage(options: RunCcusageOptions): Promise<ProcessResult & { agent: InstalledAgent }> {
  const agent = options.agent ?? (await installAgent('ccusage'));
  const home = options.home ?? (await makeTempHome());
  const env = {
    ...baseAgentEnv(home),
    ...(options.claudeConfigDir == null ? {} : { CLAUDE_CONFIG_DIR: options.claudeConfigDir }),
    ...options.env,
  };
  const result = await runAgentProcess({ argv: [...agent.command, ...options.args], cwd: home, env, timeoutMs: options.timeoutMs ?? 60_000 });
  return { ...result, agent };
}
