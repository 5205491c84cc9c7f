import {
  withStubModel,
  installAgent,
  makeTempProject,
  runOmp,
  runPi,
  scenarios,
  type AgentRunResult,
  type InstalledAgent,
  type Scenario,
  type StubApi,
  type StubModel,
  expectMatchesStub as expectSessionsMatchStub,
} from '@forge-internal/test-agents';
import { parseSession, type Session } from '@forge/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { discoverPiSessions } from './discover-pi-sessions.js';
import { readPiSession } from './read-pi-session.js';
import { defaultPiSessionRoots } from './session-roots.js';

type Client = 'pi' | 'omp';

/** Reads what the agent wrote the way a user would: discovery under the agent's own HOME, then readPiSession. */
async function sessionsOf(run: AgentRunResult, client: Client): Promise<Session[]> {
  const handles = [];
  for await (const handle of discoverPiSessions({ roots: defaultPiSessionRoots({}, run.home) })) handles.push(handle);
  expect(handles.map((handle) => handle.path)).toEqual(run.sessionFiles);
  expect(handles.every((handle) => handle.source === client)).toBe(true);
  const sessions = (await Promise.all(handles.map((handle) => readPiSession(handle.path, { source: handle.source })))).flat();
  for (const session of sessions) parseSession(session);
  return sessions;
}

function expectMatchesStub(sessions: Session[], scenario: Scenario, stub: StubModel, api: StubApi = 'anthropic-messages'): void {
  expectSessionsMatchStub(sessions, stub, { expected: scenario.expected, script: scenario.script, api });
}

const runners: Record<Client, typeof runPi> = { pi: runPi, omp: runOmp };

describe.each(['pi', 'omp'] as const)('readPiSession on files the real %s CLI wrote', (client) => {
  let agent: InstalledAgent;
  const run = runners[client];
  beforeAll(async () => {
    agent = await installAgent(client);
  });

  it('should read a plain answer', async () => {
    const scenario = scenarios.plainAnswer;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const result = await run({ stub, cwd, args: [scenario.prompts[0]!], agent });
      expect(result.exitCode, result.stderr).toBe(0);
      const sessions = await sessionsOf(result, client);
      expectMatchesStub(sessions, scenario, stub);
      expect(sessions[0]!.cwd).toBe(cwd);
      expect(sessions[0]!.messages.map((message) => message.text)).toEqual([scenario.prompts[0], scenario.script[0]!.text]);
    });
  });

  it('should read tool calls with a failing read and a failing bash as tool errors', async () => {
    const shape = scenarios.toolsWithError(client, { failingBash: true });
    const cwd = await makeTempProject(shape.files);
    await withStubModel(shape, async (stub) => {
      const result = await run({ stub, cwd, args: [shape.prompts[0]!], agent });
      expect(result.exitCode, result.stderr).toBe(0);
      const sessions = await sessionsOf(result, client);
      expectMatchesStub(sessions, shape, stub);
      const calls = sessions[0]!.messages.flatMap((message) => message.toolCalls);
      const scripted = shape.script.flatMap((turn) => turn.toolCalls ?? []);
      expect(calls.map((call) => call.name)).toEqual(scripted.map((call) => call.name));
      // omp adds its own `i` (intent) argument; every scripted argument is there as sent.
      calls.forEach((call, index) => expect(JSON.parse(call.arguments)).toMatchObject(scripted[index]!.input));
      const errors = sessions[0]!.messages.filter((message) => message.role === 'tool').map((message) => message.toolResult?.isError);
      expect(errors).toEqual(scripted.map((call) => call.expectError === true));
    });
  });

  it('should read a thinking block as present reasoning', async () => {
    const scenario = scenarios.thinking;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const result = await run({ stub, cwd, args: [scenario.prompts[0]!], agent });
      expect(result.exitCode, result.stderr).toBe(0);
      const sessions = await sessionsOf(result, client);
      expectMatchesStub(sessions, scenario, stub);
      const answer = sessions[0]!.messages.find((message) => message.role === 'assistant');
      expect(answer!.reasoning).toEqual({ state: 'present', text: scenario.script[0]!.thinking });
    });
  });

  it('should read a --continue run as one session with both exchanges', async () => {
    const scenario = scenarios.continued;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const first = await run({ stub, cwd, args: [scenario.prompts[0]!], agent });
      expect(first.exitCode, first.stderr).toBe(0);
      const second = await run({ stub, cwd, home: first.home, args: ['--continue', scenario.prompts[1]!], agent });
      expect(second.exitCode, second.stderr).toBe(0);
      const sessions = await sessionsOf(second, client);
      expect(sessions).toHaveLength(1);
      expectMatchesStub(sessions, scenario, stub);
      expect(sessions[0]!.messages.filter((message) => message.role === 'user').map((message) => message.text)).toEqual(scenario.prompts);
    });
  });
});

describe('readPiSession on files pi wrote over the OpenAI chat API', () => {
  it('should report the usage pi stored (cache writes folded into input)', async () => {
    const agent = await installAgent('pi');
    const shape = scenarios.toolsWithError('pi');
    const cwd = await makeTempProject(shape.files);
    await withStubModel(shape, async (stub) => {
      const result = await runPi({ stub, cwd, args: [shape.prompts[0]!], agent, api: 'openai-completions' });
      expect(result.exitCode, result.stderr).toBe(0);
      const sessions = await sessionsOf(result, 'pi');
      expectMatchesStub(sessions, shape, stub, 'openai-completions');
    });
  });
});
