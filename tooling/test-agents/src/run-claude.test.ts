import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installAgent, type InstalledAgent } from './install-agent.js';
import { runClaude } from './run-claude.js';
import { scenarios, subagentPrompt, type Scenario } from './scenarios.js';
import { withStubModel } from './stub-model/start-stub-model.js';
import { makeTempProject } from './temp-home.js';
import { countClaudeRecords, type RecordCounts } from './test-support/count-records.js';

/** The main transcript: `<session id>.jsonl`, not a subagent's `agent-*.jsonl`, not empty. */
async function mainSessionFiles(files: string[]): Promise<string[]> {
  const main: string[] = [];
  for (const file of files) {
    if (!basename(file).startsWith('agent-') && !file.includes('/subagents/') && (await stat(file)).size > 0) main.push(file);
  }
  return main;
}

const versions = [
  { name: 'claude', version: '2.1.330', agentTool: 'Agent' },
  { name: 'claude-2.0', version: '2.0.76', agentTool: 'Task' },
] as const;

describe.each(versions)('runClaude ($name $version)', ({ name, version }) => {
  let claude: InstalledAgent;
  beforeAll(async () => {
    claude = await installAgent(name);
  });

  /** 2.0.76 saves each block before the final usage arrives (output_tokens: 1), so only 2.1.x has the true output. */
  const comparableUsage = (counts: RecordCounts, scenario: Scenario['expected']): void => {
    expect(counts.usage.input).toBe(scenario.usage.input);
    expect(counts.usage.cacheRead).toBe(scenario.usage.cacheRead);
    expect(counts.usage.cacheWrite).toBe(scenario.usage.cacheWrite);
    if (name === 'claude') expect(counts.usage.output).toBe(scenario.usage.output);
  };

  it('should write a session holding the plain answer the stub served', async () => {
    const scenario = scenarios.plainAnswer;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.agent.version).toBe(version);
      expect(run.stdout).toContain(scenario.script[0]!.text);
      const [file, ...others] = await mainSessionFiles(run.sessionFiles);
      expect(others).toEqual([]);
      const counts = await countClaudeRecords(file!);
      const { usage: _usage, ...expectedCounts } = scenario.expected;
      expect(counts).toMatchObject({ ...expectedCounts, responseIds: stub.mainServed().map((served) => served.messageId) });
      comparableUsage(counts, scenario.expected);
      expect(stub.requests.every((request) => request.path === '/v1/messages' || request.side || request.api == null)).toBe(true);
    });
  });

  it('should record tool calls, with a missing-file read and a failing Bash as tool errors', async () => {
    const cwd = await makeTempProject(scenarios.toolsWithError(name).files);
    const scenario = scenarios.toolsWithError(name, { cwd, failingBash: true });
    await withStubModel(scenario, async (stub) => {
      const run = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(run.exitCode, run.stderr).toBe(0);
      const [file] = await mainSessionFiles(run.sessionFiles);
      const counts = await countClaudeRecords(file!);
      const { usage: _usage, ...expectedCounts } = scenario.expected;
      expect(counts).toMatchObject(expectedCounts);
      comparableUsage(counts, scenario.expected);
      const text = await readFile(file!, 'utf8');
      for (const id of stub.mainServed().flatMap((served) => served.toolCallIds)) expect(text).toContain(id);
      expect(stub.unservedTurns()).toEqual([]);
    });
  });

  it('should keep the thinking block of an answer', async () => {
    const scenario = scenarios.thinking;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(run.exitCode, run.stderr).toBe(0);
      const [file] = await mainSessionFiles(run.sessionFiles);
      const counts = await countClaudeRecords(file!);
      expect(counts.thinkingBlocks).toBe(scenario.expected.thinkingBlocks);
      expect(await readFile(file!, 'utf8')).toContain(scenario.script[0]!.thinking);
    });
  });

  it('should append a --resume run to the original session file', async () => {
    const scenario = scenarios.continued;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const first = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(first.exitCode, first.stderr).toBe(0);
      const [firstFile] = await mainSessionFiles(first.sessionFiles);
      const sessionId = basename(firstFile!, '.jsonl');
      const second = await runClaude({ stub, cwd, home: first.home, args: ['--resume', sessionId, scenario.prompts[1]!], agent: claude });
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.stdout).toContain(scenario.script[1]!.text);
      const counts = await countClaudeRecords(firstFile!);
      const { usage: _usage, ...expectedCounts } = scenario.expected;
      expect(counts).toMatchObject(expectedCounts);
      comparableUsage(counts, scenario.expected);
    });
  });

  it('should write the subagent started through the agent tool to its own file', async () => {
    const scenario = scenarios.subagent(name);
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(stub.unservedTurns()).toEqual([]);
      const [mainFile] = await mainSessionFiles(run.sessionFiles);
      const mainCounts = await countClaudeRecords(mainFile!);
      const expectedMain = scenario.expectedByLabel.main!;
      expect(mainCounts).toMatchObject({ assistantMessages: expectedMain.assistantMessages, toolCalls: expectedMain.toolCalls, userPrompts: 1 });
      const subagentFiles: string[] = [];
      for (const file of run.sessionFiles) {
        if (file !== mainFile && (await readFile(file, 'utf8')).includes(subagentPrompt)) subagentFiles.push(file);
      }
      expect(subagentFiles).toHaveLength(1);
      const subagentCounts = await countClaudeRecords(subagentFiles[0]!);
      const expectedSubagent = scenario.expectedByLabel.subagent!;
      expect(subagentCounts).toMatchObject({
        assistantMessages: expectedSubagent.assistantMessages,
        toolCalls: expectedSubagent.toolCalls,
        toolErrors: 0,
      });
      comparableUsage(subagentCounts, expectedSubagent);
    });
  });
});
