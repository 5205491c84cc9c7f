import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../cli-io.js';
import { runCli } from '../test-support/run-cli.js';

const golden = join(import.meta.dirname, '..', '__fixtures__', 'demo-dataset');
const outputFiles = [
  'sharegpt/train.jsonl',
  'sharegpt/val.jsonl',
  'openai/train.jsonl',
  'openai/val.jsonl',
  'messages/train.jsonl',
  'messages/val.jsonl',
  'sharegpt/rows.jsonl',
  'openai/rows.jsonl',
  'messages/rows.jsonl',
  'dataset_info.json',
  'axolotl.yaml',
];

describe('forge run --demo', () => {
  it('should write the golden dataset for the built-in corpus', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-golden-'));
    const result = await runCli(['run', '--demo', '--out', join(home, 'dataset'), '--quiet'], { env: { HOME: home }, cwd: home });
    expect(result.exitCode, result.stderr).toBe(exitCodes.ok);
    for (const file of outputFiles) {
      await expect(readFileSync(join(home, 'dataset', file), 'utf8')).toMatchFileSnapshot(join(golden, file));
    }
    // The manifest without what depends on where the repository and the output live.
    const { inputs, options, forgeVersion, ...manifest } = JSON.parse(readFileSync(join(home, 'dataset', 'manifest.json'), 'utf8'));
    expect(inputs.length).toBeGreaterThan(10);
    expect(options.demo).toBe(true);
    expect(forgeVersion).toMatch(/^\d+\.\d+\.\d+/);
    await expect(`${JSON.stringify(manifest, null, 2)}\n`).toMatchFileSnapshot(join(golden, 'manifest.partial.json'));
  });
});
