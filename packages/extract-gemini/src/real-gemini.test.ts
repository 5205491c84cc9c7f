import { join } from 'node:path';
import {
  expectMatchesStub as expectSessionsMatchStub,
  installAgent,
  readReaderHome,
  sessionsUnder,
  makeTempProject,
  runCcusage,
  runGemini,
  scenarios,
  snapshotTree,
  withStubModel,
  type InstalledAgent,
  type Scenario,
  type StubModel,
} from '@forge-internal/test-agents';
import { type Session } from '@forge/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { geminiReader } from './gemini-reader.js';

/** Gemini CLI names a call `<tool>__<the provider's call id>`. */
function expectMatchesStub(sessions: Session[], scenario: Scenario, stub: StubModel): void {
  expectSessionsMatchStub(sessions, stub, { expected: scenario.expected, script: scenario.script, api: 'gemini-generate-content', callId: (id, call) => `${call.name}__${id}` });
}



describe('geminiReader on chats the real Gemini CLI wrote', () => {
  let gemini: InstalledAgent;
  beforeAll(async () => {
    gemini = await installAgent('gemini');
  });

  it('should read a plain answer, with the start-up context marked as harness', async () => {
    const scenario = scenarios.plainAnswer;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runGemini({ stub, cwd, args: ['-p', scenario.prompts[0]!], agent: gemini });
      expect(run.exitCode, run.stderr).toBe(0);
      const sessions = await sessionsUnder(geminiReader, run.home);
      expect(sessions.map((session) => session.files[0])).toEqual(run.sessionFiles);
      expectMatchesStub(sessions, scenario, stub);
      const [session] = sessions;
      expect(session).toMatchObject({ source: 'gemini', cwd, models: ['gemini-2.5-pro'], isSubagent: false });
      expect(session!.messages.map((message) => [message.role, message.provenance])).toEqual([
        ['user', 'harness'],
        ['user', 'conversation'],
        ['assistant', 'conversation'],
      ]);
      expect(session!.messages.slice(1).map((message) => message.text)).toEqual([scenario.prompts[0], scenario.script[0]!.text]);
    });
  });

  it('should read tool calls with a missing file and a failing command as tool errors, and agree with ccusage', async () => {
    const shape = scenarios.toolsWithError('gemini', { failingBash: true });
    const cwd = await makeTempProject(shape.files);
    await withStubModel(shape, async (stub) => {
      const run = await runGemini({ stub, cwd, args: ['-p', shape.prompts[0]!], agent: gemini });
      expect(run.exitCode, run.stderr).toBe(0);
      const before = await snapshotTree(join(run.home, '.gemini'));
      const sessions = await sessionsUnder(geminiReader, run.home);
      expect(await snapshotTree(join(run.home, '.gemini'))).toEqual(before);
      expect(shape.expected.toolErrors).toBe(2);
      expectMatchesStub(sessions, shape, stub);
      const messages = sessions[0]!.messages;
      const scripted = shape.script.flatMap((turn) => turn.toolCalls ?? []);
      const calls = messages.flatMap((message) => message.toolCalls);
      expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual(scripted.map((call) => [call.name, call.input]));
      const results = messages.filter((message) => message.role === 'tool');
      expect(results.map((message) => [message.toolResult!.toolCallId, message.toolResult!.isError])).toEqual(calls.map((call, index) => [call.id, scripted[index]!.expectError === true]));

      const ccusage = await runCcusage({ args: ['gemini', 'session', '--json', '--offline'], home: run.home });
      expect(ccusage.exitCode, ccusage.stderr).toBe(0);
      const totals = (JSON.parse(ccusage.stdout) as { totals: Record<string, number> }).totals;
      const usage = sessions[0]!.usage;
      expect({ input: totals.inputTokens, output: totals.outputTokens, cacheRead: totals.cacheReadTokens, cacheWrite: totals.cacheCreationTokens }).toEqual(usage);
    });
  });

  it('should read a thought summary as present reasoning', async () => {
    const scenario = scenarios.thinking;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runGemini({ stub, cwd, args: ['-p', scenario.prompts[0]!], agent: gemini });
      expect(run.exitCode, run.stderr).toBe(0);
      const sessions = await sessionsUnder(geminiReader, run.home);
      expectMatchesStub(sessions, scenario, stub);
      const answer = sessions[0]!.messages.find((message) => message.role === 'assistant');
      expect(answer).toMatchObject({ text: scenario.script[0]!.text, reasoning: { state: 'present', text: scenario.script[0]!.thinking } });
    });
  });

  it('should read `--resume latest` as one session, and a start-up-only file as a file warning', async () => {
    const scenario = scenarios.continued;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const first = await runGemini({ stub, cwd, args: ['-p', scenario.prompts[0]!], agent: gemini });
      expect(first.exitCode, first.stderr).toBe(0);
      const second = await runGemini({ stub, cwd, home: first.home, args: ['--resume', 'latest', '-p', scenario.prompts[1]!], agent: gemini });
      expect(second.exitCode, second.stderr).toBe(0);
      const { sessions, fileWarnings } = await readReaderHome(geminiReader, second.home);
      expect(sessions).toHaveLength(1);
      // Gemini CLI opens a chat file (session-<minute>-<id prefix>.jsonl) before it loads the resumed
      // one: in another minute that is a second file with only start-up context, in the same minute
      // the same file (replayed, its records cancel out).
      expect(second.sessionFiles.length - fileWarnings.length).toBe(1);
      expect(fileWarnings.every((warning) => warning.kind === 'empty-file')).toBe(true);
      expectMatchesStub(sessions, scenario, stub);
      const prompts = sessions[0]!.messages.filter((message) => message.role === 'user' && message.provenance === 'conversation');
      expect(prompts.map((message) => message.text)).toEqual(scenario.prompts);
    });
  });
});
