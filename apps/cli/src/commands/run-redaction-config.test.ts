import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../cli-io.js';
import { runCli } from '../test-support/run-cli.js';

function everyFile(folder: string): string {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('forge run with a redaction block in forge.config.json', () => {
  it('should redact forge.config.json literal values in every output file of forge run, manifest included, without echoing them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-audit-config-'));
    const secret = 'make sure it has';
    writeFileSync(join(home, 'forge.config.json'), JSON.stringify({ redaction: { literalValues: [{ env: 'FORGE_CODENAMES' }], extraPatterns: [{ name: 'crew', pattern: 'polecats' }] } }));
    const env = { HOME: home, FORGE_CODENAMES: secret };
    const run = await runCli(['run', '--demo', '--out', join(home, 'dataset'), '--quiet'], { env, cwd: home });
    expect(run.exitCode, run.stderr).toBe(exitCodes.ok);
    const written = everyFile(join(home, 'dataset'));
    expect(written).not.toContain(secret);
    expect(written).toContain('[REDACTED:literal-value]');
    // The manifest's own text (input paths here) is redacted like the rows.
    expect(written).not.toContain('polecats');
    expect(readFileSync(join(home, 'dataset', 'manifest.json'), 'utf8')).toMatch(/"path": "[^"]*\[REDACTED:crew\]/);
    const manifest = JSON.parse(readFileSync(join(home, 'dataset', 'manifest.json'), 'utf8')) as { redactions: Record<string, number> };
    expect(manifest.redactions['literal-value']).toBeGreaterThan(0);

    // An unset variable stops the run, naming the variable only.
    const unset = await runCli(['run', '--demo', '--out', join(home, 'other'), '--quiet'], { env: { HOME: home }, cwd: home });
    expect(unset.exitCode).toBe(exitCodes.failure);
    expect(unset.stderr).toMatch(/FORGE_CODENAMES named in literalValues is not set/);
  });
  it('should apply the same block to forge export', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-export-config-'));
    const secret = 'make sure it has';
    writeFileSync(join(home, 'forge.config.json'), JSON.stringify({ redaction: { literalValues: [{ env: 'FORGE_CODENAMES' }] } }));
    const file = join(import.meta.dirname, '..', '..', 'demo', 'home', '.pi', 'agent', 'sessions', '--home-ubuntu-gt-myrig-polecats-nux--', '2026-11-24T04-07-47-845Z_01a20bbd-0984-77ca-9e17-aa1ee6080a55.jsonl');
    expect(readFileSync(file, 'utf8')).toContain(secret);
    const exported = await runCli(['export', file, '--format', 'messages', '--quiet'], { env: { HOME: home, FORGE_CODENAMES: secret }, cwd: home });
    expect(exported.exitCode, exported.stderr).toBe(exitCodes.ok);
    expect(exported.stdout).toContain('[REDACTED:literal-value]');
    expect(exported.stdout).not.toContain(secret);
  });
});
