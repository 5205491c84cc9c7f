import { describe, expect, it } from 'vitest';
import { expectationOf, expectedUsage, scenarios } from './scenarios.js';

describe('scenarios', () => {
  it('should compute the expected counts of toolsWithError from its script', () => {
    const scenario = scenarios.toolsWithError('pi');
    const calls = scenario.script.flatMap((turn) => turn.toolCalls ?? []);
    expect(scenario.expected).toEqual({
      userPrompts: scenario.prompts.length,
      assistantMessages: scenario.script.length,
      toolCalls: calls.length,
      toolErrors: calls.filter((call) => call.expectError === true).length,
      thinkingBlocks: 0,
      usage: {
        input: scenario.script.reduce((sum, turn) => sum + turn.usage.input, 0),
        output: scenario.script.reduce((sum, turn) => sum + turn.usage.output, 0),
        cacheRead: scenario.script.reduce((sum, turn) => sum + turn.usage.cacheRead, 0),
        cacheWrite: scenario.script.reduce((sum, turn) => sum + turn.usage.cacheWrite, 0),
      },
    });
    expect(scenario.expected.toolErrors).toBe(1);
    expect(scenarios.toolsWithError('pi', { failingBash: true }).expected.toolErrors).toBe(2);
  });

  it('should use each agent’s tool names and absolute paths for Claude Code', () => {
    const names = (agent: 'pi' | 'claude'): string[] =>
      scenarios.toolsWithError(agent, { cwd: '/p' }).script.flatMap((turn) => (turn.toolCalls ?? []).map((call) => call.name));
    expect(new Set(names('pi'))).toEqual(new Set(['bash', 'read', 'write']));
    expect(new Set(names('claude'))).toEqual(new Set(['Bash', 'Read', 'Write']));
    const claudeReads = scenarios.toolsWithError('claude', { cwd: '/p' }).script.flatMap((turn) => turn.toolCalls ?? []).filter((call) => call.name === 'Read');
    expect(claudeReads.every((call) => String(call.input.file_path).startsWith('/p/'))).toBe(true);
  });

  it('should split the subagent scenario into main and subagent expectations', () => {
    const scenario = scenarios.subagent('claude-2.0');
    expect(scenario.expectedByLabel.main).toEqual(expectationOf(scenario.script.filter((turn) => turn.label === 'main'), 1));
    expect(scenario.expectedByLabel.subagent!.toolCalls).toBe(1);
    expect(scenario.script[0]!.toolCalls![0]!.name).toBe('Task');
    expect(scenarios.subagent('claude').script[0]!.toolCalls![0]!.name).toBe('Agent');
  });

  it('should count cache writes as plain input for the OpenAI APIs', () => {
    const turns = scenarios.continued.script;
    const anthropic = expectedUsage(turns);
    const openAi = expectedUsage(turns, 'openai-completions');
    expect(openAi).toEqual({ input: anthropic.input + anthropic.cacheWrite, output: anthropic.output, cacheRead: anthropic.cacheRead, cacheWrite: 0 });
  });
});
