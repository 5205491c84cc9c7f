import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../cli-io.js';
import { runCli } from '../test-support/run-cli.js';

describe('forge run --format …,atif,parquet and forge report', () => {
  it('should write the asked formats, Parquet shards, the card and the report, and draw the report again', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-outputs-'));
    const out = join(home, 'dataset');
    const run = await runCli(['run', '--demo', '--format', 'messages,atif,parquet', '--out', out, '--quiet'], { env: { HOME: home }, cwd: home });
    expect(run.exitCode, run.stderr).toBe(exitCodes.ok);
    expect(readdirSync(out).sort()).toEqual(['README.md', 'atif', 'axolotl.yaml', 'manifest.json', 'messages', 'report.html']);
    expect(readdirSync(join(out, 'messages')).sort()).toEqual(['rows.jsonl', 'train-00000-of-00001.parquet', 'train.jsonl', 'val.jsonl', 'validation-00000-of-00001.parquet']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.options).toMatchObject({ formats: ['messages', 'atif'], parquet: true, parquetShardMb: 100 });
    expect(manifest.formats.map((entry: { files: string[] }) => entry.files)).toEqual([
      ['messages/train.jsonl', 'messages/val.jsonl', 'messages/rows.jsonl', 'messages/train-00000-of-00001.parquet', 'messages/validation-00000-of-00001.parquet'],
      ['atif/train.jsonl', 'atif/val.jsonl', 'atif/rows.jsonl'],
    ]);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('  - config_name: messages\n    default: true\n    data_files:\n      - split: train\n        path: "messages/train-*.parquet"');
    const atif = readFileSync(join(out, 'atif', 'train.jsonl'), 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
    expect(atif.every((trajectory) => trajectory.schema_version === 'ATIF-v1.7')).toBe(true);

    const drawn = readFileSync(join(out, 'report.html'), 'utf8');
    rmSync(join(out, 'report.html'));
    const report = await runCli(['report', out], { env: { HOME: home }, cwd: home });
    expect(report.exitCode, report.stderr).toBe(exitCodes.ok);
    expect(report.stderr).toBe(`wrote ${join(out, 'report.html')}\n`);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(drawn);
  }, 120_000);

  it('should say when the folder is no dataset', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-outputs-'));
    const report = await runCli(['report', home], { env: { HOME: home }, cwd: home });
    expect(report.exitCode).toBe(exitCodes.failure);
    expect(report.stderr).toContain(`not a dataset folder: ${home} has no manifest.json`);
    expect(existsSync(join(home, 'report.html'))).toBe(false);
  });
});
