import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledExtensionDir } from '@forge/pi-extensions';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../cli-io.js';
import { runCli } from '../test-support/run-cli.js';

describe('forge extensions install', () => {
  it("should copy both bundles into the harness's own extensions folder under HOME", async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-cli-home-'));
    const result = await runCli(['extensions', 'install', '--harness', 'omp'], { env: { HOME: home }, cwd: home });
    expect(result.exitCode).toBe(exitCodes.ok);
    const files = result.stdout.trimEnd().split('\n');
    const folder = join(home, '.omp', 'agent', 'extensions');
    expect(files).toEqual([join(folder, 'forge-training-capture.js'), join(folder, 'forge-outcome-tagging.js')]);
    const bundles = await bundledExtensionDir();
    for (const file of files) expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(bundles, file.split('/').at(-1)!), 'utf8'));
  });

  it('should install into --dir relative to the working folder, and refuse an unknown harness', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'forge-cli-project-'));
    const result = await runCli(['extensions', 'install', '--harness', 'pi', '--dir', '.pi/extensions'], { env: { HOME: cwd }, cwd });
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(result.stdout).toContain(join(cwd, '.pi', 'extensions', 'forge-outcome-tagging.js'));
    const bad = await runCli(['extensions', 'install', '--harness', 'claude'], { env: { HOME: cwd }, cwd });
    expect(bad.exitCode).toBe(exitCodes.usage);
  });
});
