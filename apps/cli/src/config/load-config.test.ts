import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ForgeError } from '@forge/schema';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('should read forge.config.json from the working folder and resolve its paths against it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'forge-config-'));
    writeFileSync(join(folder, 'forge.config.json'), JSON.stringify({ sources: ['pir'], roots: ['homes/a', 'claude=/x'], out: 'out', maxTokens: 4096 }));
    const { config, path } = loadConfig(folder, undefined);
    expect(path).toBe(join(folder, 'forge.config.json'));
    expect(config).toEqual({ sources: ['pir'], roots: [join(folder, 'homes/a'), 'claude=/x'], out: join(folder, 'out'), maxTokens: 4096 });
  });

  it('should give an empty config when there is no file, and fail for a named missing file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'forge-config-'));
    expect(loadConfig(folder, undefined)).toEqual({ config: {}, path: undefined });
    expect(() => loadConfig(folder, 'nope.json')).toThrow(/config file not found/);
  });

  it('should name the file and the bad key of an invalid config', () => {
    const folder = mkdtempSync(join(tmpdir(), 'forge-config-'));
    writeFileSync(join(folder, 'forge.config.json'), JSON.stringify({ sources: ['cursor'], colour: true }));
    try {
      loadConfig(folder, undefined);
      expect.unreachable();
    } catch (error) {
      expect(ForgeError.isInstance(error)).toBe(true);
      expect((error as ForgeError).message).toMatch(/forge\.config\.json: invalid config: .*sources\.0/);
      expect((error as ForgeError).code).toBe('usage');
    }
  });
});
