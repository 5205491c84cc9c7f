import { openAiUnderstoodUsage } from './stub-model/answer.js';
import { type ScriptedToolCall, type ScriptedTurn, type StubApi, type StubRequest, type TurnUsage } from './stub-model/types.js';

/** Which agent a scenario is written for: tool names and argument shapes differ. */
export type ScenarioAgent = 'pi' | 'omp' | 'claude' | 'claude-2.0' | 'codex' | 'gemini' | 'opencode';

/** A scripted tool call plus what the scenario expects the agent to make of it. */
export interface ScenarioToolCall extends ScriptedToolCall {
  /** True when the tool is expected to fail (missing file, non-zero exit). */
  expectError?: boolean;
}

/** A turn whose tool calls carry `expectError`. */
export interface ScenarioTurn extends ScriptedTurn {
  toolCalls?: ScenarioToolCall[];
}

/** Ground truth of a script, computed from it (never typed by hand). */
export interface ScenarioExpectation {
  /** User prompts (one per agent run). */
  userPrompts: number;
  /** Assistant messages = model answers. */
  assistantMessages: number;
  toolCalls: number;
  /** Tool calls with `expectError`. */
  toolErrors: number;
  /** Answers with a thinking block. */
  thinkingBlocks: number;
  /** Sum of the turns' usage in Anthropic names, as served on the Anthropic API. */
  usage: TurnUsage;
}

/** A ready-made script: prompts to run, turns to serve, project files to create and the expected counts. */
export interface Scenario {
  name: string;
  /** One prompt per agent run; a second prompt means a continued session. */
  prompts: string[];
  script: ScenarioTurn[];
  /** Files the project folder needs (relative path → content); see `makeTempProject`. */
  files: Record<string, string>;
  /** Counts over the whole script. */
  expected: ScenarioExpectation;
  /** Counts per turn label (`main`, `subagent`), for scenarios whose turns land in several files. */
  expectedByLabel: Record<string, ScenarioExpectation>;
}

/** Sums usage. */
export function sumUsage(usages: TurnUsage[]): TurnUsage {
  return usages.reduce(
    (total, usage) => ({
      input: total.input + usage.input,
      output: total.output + usage.output,
      cacheRead: total.cacheRead + usage.cacheRead,
      cacheWrite: total.cacheWrite + usage.cacheWrite,
    }),
    { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  );
}

/**
 * Expected usage total of turns as a client of `api` understands it: the script's numbers on the
 * Anthropic API; on the OpenAI APIs cache writes count as plain input (see `ServedResponse.usage`).
 */
export function expectedUsage(turns: ScriptedTurn[], api: StubApi = 'anthropic-messages'): TurnUsage {
  const usages = turns.map((turn) => (api === 'anthropic-messages' ? turn.usage : openAiUnderstoodUsage(turn.usage)));
  return sumUsage(usages);
}

/** Computes the expected counts of a script run with `userPrompts` prompts. */
export function expectationOf(turns: ScenarioTurn[], userPrompts: number): ScenarioExpectation {
  const calls = turns.flatMap((turn) => turn.toolCalls ?? []);
  return {
    userPrompts,
    assistantMessages: turns.length,
    toolCalls: calls.length,
    toolErrors: calls.filter((call) => call.expectError === true).length,
    thinkingBlocks: turns.filter((turn) => turn.thinking != null).length,
    usage: sumUsage(turns.map((turn) => turn.usage)),
  };
}

function makeScenario(
  name: string,
  prompts: string[],
  script: ScenarioTurn[],
  files: Record<string, string> = {},
  promptsByLabel: Record<string, number> = {},
): Scenario {
  const labels = [...new Set(script.map((turn) => turn.label ?? 'main'))];
  const expectedByLabel = Object.fromEntries(
    labels.map((label) => [
      label,
      expectationOf(
        script.filter((turn) => (turn.label ?? 'main') === label),
        promptsByLabel[label] ?? (label === 'main' ? prompts.length : 0),
      ),
    ]),
  );
  return { name, prompts, script, files, expected: expectationOf(script, prompts.length), expectedByLabel };
}

/** Distinct, non-round usage per turn so sums catch double counting. */
function usageOfTurn(index: number): TurnUsage {
  return { input: 12 + index * 7, output: 41 + index * 13, cacheRead: index === 0 ? 0 : 4000 + index * 500, cacheWrite: 900 + index * 100 };
}

const isClaude = (agent: ScenarioAgent): boolean => agent === 'claude' || agent === 'claude-2.0';
/** Agents whose file tools want absolute paths. */
const wantsAbsolutePaths = (agent: ScenarioAgent): boolean => isClaude(agent) || agent === 'opencode';

/** Tool calls in each agent's own vocabulary. */
function tools(agent: ScenarioAgent): {
  read(path: string, expectError?: boolean): ScenarioToolCall;
  bash(command: string, expectError?: boolean): ScenarioToolCall;
  write(path: string, content: string): ScenarioToolCall;
} {
  if (agent === 'codex') {
    // Codex has one shell tool (`exec_command`, unified exec); reads and writes are shell commands.
    const shell = (cmd: string, expectError?: boolean): ScenarioToolCall => ({ name: 'exec_command', input: { cmd }, expectError });
    return {
      read: (path, expectError) => shell(`cat ${path}`, expectError),
      bash: shell,
      write: (path, content) => shell(`printf '%s' ${JSON.stringify(content)} > ${path}`),
    };
  }
  if (agent === 'gemini') {
    return {
      read: (path, expectError) => ({ name: 'read_file', input: { file_path: path }, expectError }),
      bash: (command, expectError) => ({ name: 'run_shell_command', input: { command }, expectError }),
      write: (path, content) => ({ name: 'write_file', input: { file_path: path, content } }),
    };
  }
  if (agent === 'opencode') {
    return {
      read: (path, expectError) => ({ name: 'read', input: { filePath: path }, expectError }),
      bash: (command, expectError) => ({ name: 'bash', input: { command, description: 'Run a command' }, expectError }),
      write: (path, content) => ({ name: 'write', input: { filePath: path, content } }),
    };
  }
  if (isClaude(agent)) {
    return {
      read: (path, expectError) => ({ name: 'Read', input: { file_path: path }, expectError }),
      bash: (command, expectError) => ({ name: 'Bash', input: { command, description: 'Run a command' }, expectError }),
      write: (path, content) => ({ name: 'Write', input: { file_path: path, content } }),
    };
  }
  return {
    read: (path, expectError) => ({ name: 'read', input: { path }, expectError }),
    bash: (command, expectError) => ({ name: 'bash', input: { command }, expectError }),
    write: (path, content) => ({ name: 'write', input: { path, content } }),
  };
}

/** Options of {@link toolsWithError}. */
export interface ToolsWithErrorOptions {
  /**
   * The project folder the agent runs in. Claude Code's and OpenCode's file tools want absolute paths, so
   * they are made from it; pi and omp get relative paths. Default `/work/project` (then the
   * Claude reads point at a folder that need not exist, and the existing-file read fails too).
   */
  cwd?: string;
  /** Also make a bash call fail with `exit 3` (a second tool error). Default false. */
  failingBash?: boolean;
}

/**
 * One prompt, five answers and five tool calls: bash `ls`, read of an existing file, read of a
 * missing file (the tool error), bash + write in one answer (parallel calls), then a final text.
 */
function toolsWithError(agent: ScenarioAgent, options: ToolsWithErrorOptions = {}): Scenario {
  const tool = tools(agent);
  const cwd = options.cwd ?? '/work/project';
  const path = (relative: string): string => (wantsAbsolutePaths(agent) ? `${cwd}/${relative}` : relative);
  const failingBash = options.failingBash === true;
  const script: ScenarioTurn[] = [
    { text: 'Let me look at the project first.', toolCalls: [tool.bash('ls')], usage: usageOfTurn(0) },
    { toolCalls: [tool.read(path('README.md'))], usage: usageOfTurn(1) },
    { text: 'Now the notes file.', toolCalls: [tool.read(path('missing-notes.txt'), true)], usage: usageOfTurn(2) },
    {
      text: 'It does not exist; I will create it.',
      toolCalls: [
        tool.bash(failingBash ? 'echo checking; exit 3' : 'echo checking', failingBash),
        tool.write(path('missing-notes.txt'), 'notes\n'),
      ],
      usage: usageOfTurn(3),
    },
    { text: 'Created missing-notes.txt.', usage: usageOfTurn(4) },
  ];
  return makeScenario('tools_with_error', ['Look around, then create missing-notes.txt.'], script, { 'README.md': '# demo project\n' });
}

/** The prompt text the subagent scenario hands to the subagent; its requests are matched by it. */
export const subagentPrompt = 'SUBAGENT TASK: print the word from-subagent with bash.';

/**
 * Claude Code and OpenCode: the main agent starts a general-purpose subagent through its agent tool
 * (`Agent` in Claude Code 2.1.x, `Task` in 2.0.x, `task` in OpenCode); the subagent runs one bash call and answers; the main
 * agent answers last. Turns are pinned with `match`, labelled `main` and `subagent`.
 */
function subagent(agent: Extract<ScenarioAgent, 'claude' | 'claude-2.0' | 'opencode'>): Scenario {
  const tool = tools(agent);
  const forSubagent = (request: StubRequest): boolean => request.lastUserText.includes(subagentPrompt);
  const forMain = (request: StubRequest): boolean => !forSubagent(request);
  const script: ScenarioTurn[] = [
    {
      text: 'I will delegate this.',
      toolCalls: [
        {
          name: agent === 'claude' ? 'Agent' : agent === 'opencode' ? 'task' : 'Task',
          input: {
            description: 'Print a word',
            prompt: subagentPrompt,
            subagent_type: agent === 'opencode' ? 'general' : 'general-purpose',
            // 2.1.x runs agents in the background by default and wakes the main agent with a
            // task-notification turn later; foreground keeps the order main → subagent → main.
            ...(agent === 'claude' ? { run_in_background: false } : {}),
          },
        },
      ],
      usage: usageOfTurn(0),
      match: forMain,
      label: 'main',
    },
    { text: 'Running it.', toolCalls: [tool.bash('echo from-subagent')], usage: usageOfTurn(1), match: forSubagent, label: 'subagent' },
    { text: 'The command printed from-subagent.', usage: usageOfTurn(2), match: forSubagent, label: 'subagent' },
    { text: 'The subagent printed from-subagent.', usage: usageOfTurn(3), match: forMain, label: 'main' },
  ];
  return makeScenario('subagent', ['Use a subagent to print a word.'], script, {}, { main: 1, subagent: 1 });
}

/** Prebuilt scripts with expected counts computed from them. */
export const scenarios = {
  /** One prompt, one plain text answer. */
  plainAnswer: makeScenario('qa_plain', ['What is the capital of France?'], [
    { text: 'The capital of France is Paris.', usage: usageOfTurn(0) },
  ]),
  /** One prompt, one answer with a thinking block before the text. */
  thinking: makeScenario('thinking', ['Think first: what is 17 * 3?'], [
    { thinking: 'Seventeen times three: 17 * 3 = 51.', text: '17 * 3 = 51.', usage: usageOfTurn(0) },
  ]),
  /** Two runs on one session: a prompt, then a follow-up with `--continue` / `--resume`. */
  continued: makeScenario('qa_plain_followup', ['What is the capital of France?', 'And of Italy?'], [
    { text: 'The capital of France is Paris.', usage: usageOfTurn(0) },
    { text: 'The capital of Italy is Rome.', usage: usageOfTurn(1) },
  ]),
  toolsWithError,
  subagent,
};
