import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentSpecs, installAgent, type InstalledAgent } from './install-agent.js';
import { runOmp } from './run-omp.js';
import { runPi } from './run-pi.js';
import { expectedUsage, scenarios } from './scenarios.js';
import { withStubModel } from './stub-model/start-stub-model.js';
import { type StubApi } from './stub-model/types.js';
import { makeTempProject } from './temp-home.js';
import { countPiRecords } from './test-support/count-records.js';

// pi and omp share their session format and print mode: the same runs, each against the real CLI.
describe.each([
  { client: 'pi', run: runPi },
  { client: 'omp', run: runOmp },
] as const)('run $client', ({ client, run }) => {
  let agent: InstalledAgent;
  beforeAll(async () => {
    agent = await installAgent(client);
  });

  it('should write a session holding the plain answer the stub served', async () => {
    const scenario = scenarios.plainAnswer;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const result = await run({ stub, cwd, args: [scenario.prompts[0]!], agent });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.agent.version).toBe(agentSpecs[client].version);
      expect(result.stdout).toContain(scenario.script[0]!.text);
      expect(result.sessionFiles).toHaveLength(1);
      const counts = await countPiRecords(result.sessionFiles[0]!);
      expect(counts).toMatchObject({ ...scenario.expected, responseIds: stub.mainServed().map((served) => served.messageId) });
      expect(stub.served.filter((served) => served.side)).toEqual([]);
    });
  });

  it('should record tool calls, with a missing-file read and a failing bash as tool errors', async () => {
    const shape = scenarios.toolsWithError(client, { failingBash: true });
    const cwd = await makeTempProject(shape.files);
    await withStubModel(shape, async (stub) => {
      const result = await run({ stub, cwd, args: [shape.prompts[0]!], agent });
      expect(result.exitCode, result.stderr).toBe(0);
      const counts = await countPiRecords(result.sessionFiles[0]!);
      expect(shape.expected.toolErrors).toBe(2);
      expect(counts).toMatchObject(shape.expected);
      const text = await readFile(result.sessionFiles[0]!, 'utf8');
      for (const id of stub.served.flatMap((served) => served.toolCallIds)) expect(text).toContain(id);
      expect(stub.unservedTurns()).toEqual([]);
    });
  });

  it('should keep the thinking block of a reasoning answer', async () => {
    const scenario = scenarios.thinking;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const result = await run({ stub, cwd, args: [scenario.prompts[0]!], agent });
      expect(result.exitCode, result.stderr).toBe(0);
      const counts = await countPiRecords(result.sessionFiles[0]!);
      expect(counts.thinkingBlocks).toBe(scenario.expected.thinkingBlocks);
      expect(await readFile(result.sessionFiles[0]!, 'utf8')).toContain(scenario.script[0]!.thinking);
    });
  });

  it('should append a --continue run to the same session file', async () => {
    const scenario = scenarios.continued;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const first = await run({ stub, cwd, args: [scenario.prompts[0]!], agent });
      expect(first.exitCode, first.stderr).toBe(0);
      const second = await run({ stub, cwd, home: first.home, args: ['--continue', scenario.prompts[1]!], agent });
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.sessionFiles).toEqual(first.sessionFiles);
      const counts = await countPiRecords(second.sessionFiles[0]!);
      expect(counts).toMatchObject(scenario.expected);
    });
  });
});

describe('runPi', () => {
  it.each<StubApi>(['openai-completions', 'openai-responses'])('should talk %s to the stub and store its usage', async (api) => {
    const agent = await installAgent('pi');
    const shape = scenarios.toolsWithError('pi');
    const cwd = await makeTempProject(shape.files);
    await withStubModel(shape, async (stub) => {
      const run = await runPi({ stub, cwd, api, args: [shape.prompts[0]!], agent });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(stub.requests.every((request) => request.api === api)).toBe(true);
      const counts = await countPiRecords(run.sessionFiles[0]!);
      expect(counts).toMatchObject({ ...shape.expected, usage: expectedUsage(shape.script, api) });
    });
  });
});
