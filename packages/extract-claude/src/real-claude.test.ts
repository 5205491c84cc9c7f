import { join } from 'node:path';
import {
  withStubModel,
  installAgent,
  makeTempProject,
  runClaude,
  scenarios,
  type AgentRunResult,
  type InstalledAgent,
  type ScenarioExpectation,
  type ServedResponse,
} from '@forge-internal/test-agents';
import { parseSession, type Session, type SessionWarning } from '@forge/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractClaudeSessions } from './extract-claude-sessions.js';

async function extractRun(run: AgentRunResult): Promise<{ sessions: Session[]; warnings: SessionWarning[] }> {
  const sessions: Session[] = [];
  const warnings: SessionWarning[] = [];
  for await (const session of extractClaudeSessions({ roots: [join(run.home, '.claude')], onWarning: (warning) => warnings.push(warning) })) {
    parseSession(session);
    sessions.push(session);
  }
  return { sessions, warnings };
}

const isWarmup = (session: Session): boolean => session.messages.length > 0 && session.messages.every((message) => message.provenance === 'warmup');

/** Counts of a session in the terms of the scenario's ground truth. */
function countsOf(session: Session): Omit<ScenarioExpectation, 'usage'> {
  const messages = session.messages;
  return {
    userPrompts: messages.filter((message) => message.role === 'user' && message.provenance === 'conversation').length,
    assistantMessages: messages.filter((message) => message.role === 'assistant').length,
    toolCalls: messages.flatMap((message) => message.toolCalls).length,
    toolErrors: messages.filter((message) => message.toolResult?.isError === true).length,
    thinkingBlocks: messages.filter((message) => message.reasoning.state !== 'absent').length,
  };
}

/** Response ids of a session's assistant messages (the last source id), in order. */
const responseIds = (session: Session): string[] => session.messages.filter((message) => message.role === 'assistant').map((message) => message.sourceIds!.at(-1)!);

const versions = [
  { name: 'claude', version: '2.1.330' },
  { name: 'claude-2.0', version: '2.0.76' },
] as const;

describe.each(versions)('extractClaudeSessions on real Claude Code $version', ({ name }) => {
  let claude: InstalledAgent;
  beforeAll(async () => {
    claude = await installAgent(name);
  });

  /**
   * Against this stub both versions write the final usage (2.0.76 gets a non-streamed answer
   * here), so all four totals must be exact and nothing is flagged provisional; the provisional
   * 2.0.76 case (output_tokens 1, stop_reason null) is covered by fixtures/real.
   */
  const expectUsage = (session: Session, expected: ScenarioExpectation['usage']): void => {
    expect(session.usage).toEqual(expected);
    expect(session.usageProvisional).toBeUndefined();
  };

  const mainSessions = (sessions: Session[]): Session[] => sessions.filter((session) => !session.isSubagent);

  it('should read a run with a failing Read and a failing Bash with exact counts', async () => {
    const cwd = await makeTempProject(scenarios.toolsWithError(name).files);
    const scenario = scenarios.toolsWithError(name, { cwd, failingBash: true });
    await withStubModel(scenario, async (stub) => {
      const run = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(run.exitCode, run.stderr).toBe(0);
      const { sessions } = await extractRun(run);
      const [session, ...others] = mainSessions(sessions);
      expect(others).toEqual([]);
      const { usage, ...counts } = scenario.expected;
      expect(countsOf(session!)).toEqual(counts);
      expectUsage(session!, usage);
      const served = stub.mainServed();
      expect(responseIds(session!)).toEqual(served.map((entry) => entry.messageId));
      // Tool results sit right after their call, in call order, with the stub's ids.
      const callIds = served.flatMap((entry: ServedResponse) => entry.toolCallIds);
      expect(session!.messages.filter((message) => message.role === 'tool').map((message) => message.toolResult!.toolCallId)).toEqual(callIds);
      const failed = session!.messages.filter((message) => message.toolResult?.isError === true).map((message) => message.toolResult!.toolName);
      expect(failed.sort()).toEqual(['Bash', 'Read']);
      expect(session!.cwd).toBe(cwd);
      expect(session!.sourceVersion).toBe(claude.version);
      for (const warmup of sessions.filter((candidate) => candidate.isSubagent)) expect(isWarmup(warmup)).toBe(true);
    });
  });

  it('should keep the thinking block of an answer', async () => {
    const scenario = scenarios.thinking;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(run.exitCode, run.stderr).toBe(0);
      const [session] = mainSessions((await extractRun(run)).sessions);
      const { usage, ...counts } = scenario.expected;
      expect(countsOf(session!)).toEqual(counts);
      expectUsage(session!, usage);
      const answer = session!.messages.find((message) => message.role === 'assistant')!;
      expect(answer.reasoning).toEqual({ state: 'present', text: scenario.script[0]!.thinking });
      expect(answer.text).toBe(scenario.script[0]!.text);
    });
  });

  it('should link the subagent started through the agent tool to its tool call', async () => {
    const scenario = scenarios.subagent(name);
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude, timeoutMs: 180_000 });
      expect(run.exitCode, run.stderr).toBe(0);
      const { sessions } = await extractRun(run);
      const [main] = mainSessions(sessions);
      const subagents = sessions.filter((session) => session.isSubagent && !isWarmup(session));
      expect(subagents).toHaveLength(1);
      const subagent = subagents[0]!;
      for (const [label, session] of [
        ['main', main!],
        ['subagent', subagent],
      ] as const) {
        const { usage, ...counts } = scenario.expectedByLabel[label]!;
        expect(countsOf(session), label).toEqual(counts);
        expectUsage(session, usage);
        const served = stub.mainServed().filter((entry) => entry.turn.label === label);
        expect(responseIds(session)).toEqual(served.map((entry) => entry.messageId));
      }
      const spawnCallId = stub.mainServed().find((entry) => entry.turn.label === 'main' && entry.toolCallIds.length > 0)!.toolCallIds[0];
      expect(subagent.parent).toEqual({ sessionId: main!.id, toolCallId: spawnCallId });
      expect(main!.messages.find((message) => message.toolResult?.toolCallId === spawnCallId)?.toolResult?.toolName).toBe(name === 'claude' ? 'Agent' : 'Task');
    });
  });

  it('should read a --resume run as one session without duplicated turns', async () => {
    const scenario = scenarios.continued;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const first = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(first.exitCode, first.stderr).toBe(0);
      const [original] = mainSessions((await extractRun(first)).sessions);
      const second = await runClaude({ stub, cwd, home: first.home, args: ['--resume', original!.id, scenario.prompts[1]!], agent: claude });
      expect(second.exitCode, second.stderr).toBe(0);
      const { sessions, warnings } = await extractRun(second);
      // Both versions append the resumed turns to the original file (2.0.76 also leaves a 0-byte
      // file under a new id): one session, every served answer exactly once.
      const main = mainSessions(sessions);
      expect(main).toHaveLength(1);
      expect(main[0]!.id).toBe(original!.id);
      expect(responseIds(main[0]!)).toEqual(stub.mainServed().map((entry) => entry.messageId));
      const { usage, ...counts } = scenario.expected;
      expect(countsOf(main[0]!)).toEqual(counts);
      expectUsage(main[0]!, usage);
      for (const warning of warnings) expect(warning.kind).toBe('empty-file');
    });
  });
});
