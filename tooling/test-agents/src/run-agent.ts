import { type InstalledAgent } from './install-agent.js';
import { type ProcessResult } from './run-agent-process.js';
import { type StubModel } from './stub-model/start-stub-model.js';

/** Options shared by {@link runPi}, {@link runOmp} and {@link runClaude}. */
export interface RunAgentOptions {
  /** The stub model to talk to (only its base URLs are used). */
  stub: Pick<StubModel, 'url' | 'anthropicBaseUrl' | 'openAiBaseUrl'>;
  /** Working folder of the agent (the project). */
  cwd: string;
  /** `$HOME` of the agent; a fresh temp folder when omitted. Reuse it to continue a session. */
  home?: string;
  /** Arguments after the ones the runner adds (the prompt, `-c`, `--resume <id>`, …). */
  args: string[];
  /** Kill the agent after this long; default 45 s (`defaultRunTimeoutMs`). */
  timeoutMs?: number;
  /** Extra environment variables, applied last. */
  env?: Record<string, string>;
  /** An already installed agent; default: `installAgent()` of the runner's agent (cached). */
  agent?: InstalledAgent;
}

/** What a run produced and where the agent wrote its sessions. */
export interface AgentRunResult extends ProcessResult {
  /** The `$HOME` used. */
  home: string;
  /** The agent's sessions root under that home. */
  sessionsDir: string;
  /** Every `*.jsonl` file under `sessionsDir` after the run. */
  sessionFiles: string[];
  /** The full argv that was run. */
  argv: string[];
  /** The program and version that ran. */
  agent: InstalledAgent;
}
