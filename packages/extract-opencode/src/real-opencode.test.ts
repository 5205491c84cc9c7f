import { join } from 'node:path';
import {
  countTrajectory,
  expectedUsage,
  expectMatchesStub,
  installAgent,
  sessionsUnder,
  makeTempProject,
  runCcusage,
  tokensOnly,
  runOpencode,
  scenarios,
  snapshotTree,
  withStubModel,
  type InstalledAgent,
  type ScriptedTurn,
} from '@forge-internal/test-agents';
import { beforeAll, describe, expect, it } from 'vitest';
import { opencodeReader } from './opencode-reader.js';

// OpenCode starts slowly on a busy 2-core machine (10–25 s a run): runs get 55 s, tests room for two.
const runTimeoutMs = 55_000;
const testTimeoutMs = 150_000;



describe('opencodeReader on the database the real OpenCode wrote', () => {
  let opencode: InstalledAgent;
  beforeAll(async () => {
    opencode = await installAgent('opencode');
  });

  it(
    'should read tool calls with a missing file and a failing command as tool errors, write nothing, and agree with ccusage',
    async () => {
      const cwd = await makeTempProject({ 'README.md': '# demo project\n' });
      const shape = scenarios.toolsWithError('opencode', { cwd, failingBash: true });
      await withStubModel(shape, async (stub) => {
        const run = await runOpencode({ stub, cwd, message: shape.prompts[0]!, agent: opencode, timeoutMs: runTimeoutMs });
        expect(run.exitCode, run.stderr).toBe(0);
        const dataDir = join(run.home, '.local', 'share', 'opencode');
        const before = await snapshotTree(dataDir);
        const sessions = await sessionsUnder(opencodeReader, run.home);
        expect(await snapshotTree(dataDir)).toEqual(before);
        expect(sessions).toHaveLength(1);
        expect(sessions[0]).toMatchObject({ source: 'opencode', sourceVersion: opencode.version, cwd, models: ['claude-sonnet-4-5'], isSubagent: false });
        expect(shape.expected.toolErrors).toBe(2);
        expectMatchesStub(sessions, stub, { expected: shape.expected, script: shape.script, api: 'anthropic-messages' });
        const scripted = shape.script.flatMap((turn) => turn.toolCalls ?? []);
        const messages = sessions[0]!.messages;
        const calls = messages.flatMap((message) => message.toolCalls);
        expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual(scripted.map((call) => [call.name, call.input]));
        const results = messages.filter((message) => message.role === 'tool').map((message) => [message.toolResult!.toolCallId, message.toolResult!.isError]);
        expect(results).toEqual(calls.map((call, index) => [call.id, scripted[index]!.expectError === true]));

        const ccusage = await runCcusage({ args: ['opencode', 'session', '--json', '--offline'], home: run.home });
        expect(ccusage.exitCode, ccusage.stderr).toBe(0);
        const totals = (JSON.parse(ccusage.stdout) as { totals: Record<string, number> }).totals;
        expect({ input: totals.inputTokens, output: totals.outputTokens, cacheRead: totals.cacheReadTokens, cacheWrite: totals.cacheCreationTokens }).toEqual(tokensOnly(sessions[0]!.usage));
      });
    },
    testTimeoutMs,
  );

  it(
    'should read a thinking block as present reasoning',
    async () => {
      const scenario = scenarios.thinking;
      const cwd = await makeTempProject();
      await withStubModel(scenario, async (stub) => {
        const run = await runOpencode({ stub, cwd, message: scenario.prompts[0]!, agent: opencode, timeoutMs: runTimeoutMs });
        expect(run.exitCode, run.stderr).toBe(0);
        const sessions = await sessionsUnder(opencodeReader, run.home);
        expectMatchesStub(sessions, stub, { expected: scenario.expected, script: scenario.script, api: 'anthropic-messages' });
        const [prompt, answer] = sessions[0]!.messages;
        expect(prompt).toMatchObject({ role: 'user', provenance: 'conversation', text: scenario.prompts[0] });
        expect(answer).toMatchObject({ text: scenario.script[0]!.text, reasoning: { state: 'present', text: scenario.script[0]!.thinking }, stopReason: 'stop' });
      });
    },
    testTimeoutMs,
  );

  it(
    'should read `run --continue` as one session, and a `--fork` as a child holding only its own turns',
    async () => {
      const scenario = scenarios.continued;
      const cwd = await makeTempProject();
      const forkTurn: ScriptedTurn = { text: 'The capital of Spain is Madrid.', usage: { input: 30, output: 9, cacheRead: 2000, cacheWrite: 100 } };
      await withStubModel({ script: [...scenario.script, forkTurn] }, async (stub) => {
        const first = await runOpencode({ stub, cwd, message: scenario.prompts[0]!, agent: opencode, timeoutMs: runTimeoutMs });
        expect(first.exitCode, first.stderr).toBe(0);
        const second = await runOpencode({ stub, cwd, home: first.home, args: ['--continue'], message: scenario.prompts[1]!, agent: opencode, timeoutMs: runTimeoutMs });
        expect(second.exitCode, second.stderr).toBe(0);
        const [original] = await sessionsUnder(opencodeReader, second.home);
        const fork = await runOpencode({ stub, cwd, home: first.home, args: ['--session', original!.id, '--fork'], message: 'And of Spain?', agent: opencode, timeoutMs: runTimeoutMs });
        expect(fork.exitCode, fork.stderr).toBe(0);
        const sessions = await sessionsUnder(opencodeReader, fork.home);
        expect(sessions.map((session) => session.parent?.sessionId)).toEqual([undefined, original!.id]);
        const script = [...scenario.script, forkTurn];
        expectMatchesStub(sessions, stub, { expected: { ...scenario.expected, userPrompts: 3, assistantMessages: 3 }, script, api: 'anthropic-messages' });
        const prompts = sessions.map((session) => session.messages.filter((message) => message.role === 'user').map((message) => message.text));
        expect(prompts).toEqual([scenario.prompts, ['And of Spain?']]);
      });
    },
    testTimeoutMs * 1.5,
  );

  it(
    'should read a subagent (task tool) session as a child of the call that started it',
    async () => {
      const scenario = scenarios.subagent('opencode');
      const cwd = await makeTempProject();
      await withStubModel(scenario, async (stub) => {
        const run = await runOpencode({ stub, cwd, message: scenario.prompts[0]!, agent: opencode, timeoutMs: runTimeoutMs });
        expect(run.exitCode, run.stderr).toBe(0);
        const sessions = await sessionsUnder(opencodeReader, run.home);
        const main = sessions.find((session) => !session.isSubagent);
        const child = sessions.find((session) => session.isSubagent);
        const spawn = main!.messages.flatMap((message) => message.toolCalls).find((call) => call.name === 'task');
        expect(child).toMatchObject({ parent: { sessionId: main!.id, toolCallId: spawn!.id }, agent: { type: 'general' } });
        for (const [label, session] of [['main', main], ['subagent', child]] as const) {
          const turns = scenario.script.filter((turn) => turn.label === label);
          expect(countTrajectory([session!])).toMatchObject({
            userPrompts: 1,
            assistantMessages: turns.length,
            toolCalls: scenario.expectedByLabel[label]!.toolCalls,
            usage: expectedUsage(turns, 'anthropic-messages'),
          });
        }
      });
    },
    testTimeoutMs,
  );
});
