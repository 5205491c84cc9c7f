import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentCacheDir, agentSpecs, installAgent, isAgentInstalled } from './install-agent.js';
import { baseAgentEnv, runAgentProcess } from './run-agent-process.js';
import { makeTempHome } from './temp-home.js';

describe('installAgent', () => {
  const cacheDirs: string[] = [];
  afterAll(async () => {
    await Promise.all(cacheDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('should install once when two callers race, and reuse the install afterwards', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'forge-test-agents-cache-'));
    cacheDirs.push(cacheDir);
    const [first, second] = await Promise.all([installAgent('ccusage', { cacheDir }), installAgent('ccusage', { cacheDir })]);
    expect([first.freshInstall, second.freshInstall].filter(Boolean)).toHaveLength(1);
    expect(first.installDir).toBe(join(cacheDir, `ccusage@${agentSpecs.ccusage.version}`));
    expect(second).toMatchObject({ installDir: first.installDir, bin: first.bin, version: '20.0.24' });
    expect(existsSync(`${first.installDir}.lock`)).toBe(false);
    expect(isAgentInstalled('ccusage', { cacheDir })).toBe(true);
    const marker = JSON.parse(await readFile(join(first.installDir, '.forge-test-agents-installed.json'), 'utf8')) as { version: string };
    expect(marker.version).toBe('20.0.24');
    const again = await installAgent('ccusage', { cacheDir });
    expect(again.freshInstall).toBe(false);
    const home = await makeTempHome();
    const version = await runAgentProcess({ argv: [...again.command, '--version'], cwd: home, env: baseAgentEnv(home) });
    expect(version.stdout).toContain('20.0.24');
  });

  it('should default the cache to FORGE_TEST_AGENTS_DIR, else ~/.cache/forge-test-agents', () => {
    expect(agentCacheDir({ FORGE_TEST_AGENTS_DIR: '/somewhere' })).toBe('/somewhere');
    expect(agentCacheDir({})).toMatch(/\.cache\/forge-test-agents$/);
  });
});
