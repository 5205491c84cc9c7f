import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { installAgent, type InstalledAgent } from './install-agent.js';
import { runOmp } from './run-omp.js';
import { scenarios } from './scenarios.js';
import { withStubModel } from './stub-model/start-stub-model.js';
import { makeTempProject } from './temp-home.js';
import { countPiRecords } from './test-support/count-records.js';

describe('runOmp', () => {
  let omp: InstalledAgent;
  beforeAll(async () => {
    omp = await installAgent('omp');
  });

  it('should write a session holding the plain answer the stub served', async () => {
    const scenario = scenarios.plainAnswer;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runOmp({ stub, cwd, args: [scenario.prompts[0]!], agent: omp });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.agent.version).toBe('18.2.3');
      expect(run.stdout).toContain(scenario.script[0]!.text);
      expect(run.sessionFiles).toHaveLength(1);
      const counts = await countPiRecords(run.sessionFiles[0]!);
      expect(counts).toMatchObject({ ...scenario.expected, responseIds: stub.mainServed().map((served) => served.messageId) });
      expect(stub.served.filter((served) => served.side)).toEqual([]);
    });
  });

  it('should record tool calls, with a missing-file read and a failing bash as tool errors', async () => {
    const shape = scenarios.toolsWithError('omp', { failingBash: true });
    const cwd = await makeTempProject(shape.files);
    await withStubModel(shape, async (stub) => {
      const run = await runOmp({ stub, cwd, args: [shape.prompts[0]!], agent: omp });
      expect(run.exitCode, run.stderr).toBe(0);
      const counts = await countPiRecords(run.sessionFiles[0]!);
      expect(counts).toMatchObject(shape.expected);
      const text = await readFile(run.sessionFiles[0]!, 'utf8');
      for (const id of stub.served.flatMap((served) => served.toolCallIds)) expect(text).toContain(id);
      expect(stub.unservedTurns()).toEqual([]);
    });
  });

  it('should keep the thinking block of a reasoning answer', async () => {
    const scenario = scenarios.thinking;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runOmp({ stub, cwd, args: [scenario.prompts[0]!], agent: omp });
      expect(run.exitCode, run.stderr).toBe(0);
      const counts = await countPiRecords(run.sessionFiles[0]!);
      expect(counts.thinkingBlocks).toBe(scenario.expected.thinkingBlocks);
      expect(await readFile(run.sessionFiles[0]!, 'utf8')).toContain(scenario.script[0]!.thinking);
    });
  });

  it('should append a --continue run to the same session file', async () => {
    const scenario = scenarios.continued;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const first = await runOmp({ stub, cwd, args: [scenario.prompts[0]!], agent: omp });
      expect(first.exitCode, first.stderr).toBe(0);
      const second = await runOmp({ stub, cwd, home: first.home, args: ['--continue', scenario.prompts[1]!], agent: omp });
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.sessionFiles).toEqual(first.sessionFiles);
      const counts = await countPiRecords(second.sessionFiles[0]!);
      expect(counts).toMatchObject(scenario.expected);
    });
  });
});
