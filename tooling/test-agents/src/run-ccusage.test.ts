import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installAgent, type InstalledAgent } from './install-agent.js';
import { runCcusage } from './run-ccusage.js';
import { runClaude } from './run-claude.js';
import { scenarios } from './scenarios.js';
import { startStubModel } from './stub-model/start-stub-model.js';
import { makeTempProject } from './temp-home.js';

describe('runCcusage', () => {
  let claude: InstalledAgent;
  let ccusage: InstalledAgent;
  beforeAll(async () => {
    [claude, ccusage] = await Promise.all([installAgent('claude'), installAgent('ccusage')]);
  });

  it('should read back the usage a Claude Code run stored from the stub', async () => {
    const cwd = await makeTempProject(scenarios.toolsWithError('claude').files);
    const scenario = scenarios.toolsWithError('claude', { cwd });
    const stub = await startStubModel({ script: scenario.script });
    try {
      const run = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(run.exitCode, run.stderr).toBe(0);
      const report = await runCcusage({ args: ['session', '--json', '--offline'], claudeConfigDir: join(run.home, '.claude'), agent: ccusage });
      expect(report.exitCode, report.stderr).toBe(0);
      const totals = (JSON.parse(report.stdout) as { totals: Record<string, number> }).totals;
      expect(totals).toMatchObject({
        inputTokens: scenario.expected.usage.input,
        outputTokens: scenario.expected.usage.output,
        cacheReadTokens: scenario.expected.usage.cacheRead,
        cacheCreationTokens: scenario.expected.usage.cacheWrite,
      });
    } finally {
      await stub.close();
    }
  });
});
