import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../cli-io.js';
import { runCli } from '../test-support/run-cli.js';

/** Every file under a folder, relative, sorted. */
function files(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

describe('forge run --shard i/n and forge merge', () => {
  it('should merge the shards of the demo corpus into the dataset one run writes', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-merge-'));
    const env = { HOME: home };
    const common = ['--demo', '--format', 'sharegpt,messages,atif,parquet', '--validation-ratio', '0.3', '--quiet', '--cache-dir', join(home, 'cache')];
    const single = await runCli(['run', ...common, '--out', join(home, 'single')], { env, cwd: home });
    expect(single.exitCode, single.stderr).toBe(exitCodes.ok);
    const shardFolders = ['1/3', '2/3', '3/3'].map((shard) => join(home, `shard-${shard[0]}`));
    for (const [index, folder] of shardFolders.entries()) {
      const shard = await runCli(['run', ...common, '--shard', `${index + 1}/3`, '--out', folder], { env, cwd: home });
      expect(shard.exitCode, shard.stderr).toBe(exitCodes.ok);
      expect(files(folder)).toContain('sessions.jsonl');
    }
    // The slices are disjoint and cover every input.
    const shardInputs = shardFolders.map((folder) => JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')).inputs.map((input: { path: string }) => input.path) as string[]);
    const singleManifest = JSON.parse(readFileSync(join(home, 'single', 'manifest.json'), 'utf8'));
    expect(shardInputs.flat().sort()).toEqual(singleManifest.inputs.map((input: { path: string }) => input.path).sort());
    // The slice keys on paths inside the home, so it is the same in every clone: each shard holds some input.
    for (const inputs of shardInputs) expect(inputs.length).toBeGreaterThan(0);

    // Shards in any order.
    const merge = await runCli(['merge', shardFolders[2]!, shardFolders[0]!, shardFolders[1]!, '--out', join(home, 'merged')], { env, cwd: home });
    expect(merge.exitCode, merge.stderr).toBe(exitCodes.ok);
    expect(files(join(home, 'merged'))).toEqual(files(join(home, 'single')));
    for (const file of files(join(home, 'single'))) {
      if (file === 'manifest.json') continue;
      expect(readFileSync(join(home, 'merged', file)).equals(readFileSync(join(home, 'single', file))), file).toBe(true);
    }
    const mergedManifest = JSON.parse(readFileSync(join(home, 'merged', 'manifest.json'), 'utf8'));
    // Redacted like every path: the home folder reads ~.
    expect(mergedManifest.options.out).toBe('~/merged');
    expect({ ...mergedManifest, options: { ...mergedManifest.options, out: '' } }).toEqual({ ...singleManifest, options: { ...singleManifest.options, out: '' } });
    // Some duplicate pair spans two shards: the shards alone drop fewer duplicates than the merge.
    const duplicates = (manifest: { skipped: Array<{ reason: string }> }) => manifest.skipped.filter((item) => /duplicate of/u.test(item.reason)).length;
    const inShards = shardFolders.reduce((sum, folder) => sum + duplicates(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'))), 0);
    expect(duplicates(mergedManifest)).toBeGreaterThan(inShards);
  }, 240_000);

  it('should refuse an incomplete set of shards, naming what is missing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-merge-'));
    const env = { HOME: home };
    const shard = await runCli(['run', '--demo', '--quiet', '--shard', '2/3', '--out', join(home, 'shard-2'), '--cache-dir', join(home, 'cache')], { env, cwd: home });
    expect(shard.exitCode, shard.stderr).toBe(exitCodes.ok);
    const merge = await runCli(['merge', join(home, 'shard-2'), '--out', join(home, 'merged')], { env, cwd: home });
    expect(merge.exitCode).toBe(exitCodes.usage);
    expect(merge.stderr).toContain('the shards are not every shard of 3 once: missing 1/3, 3/3');
    const notShard = await runCli(['merge', home, '--out', join(home, 'merged')], { env, cwd: home });
    expect(notShard.exitCode).toBe(exitCodes.usage);
    expect(notShard.stderr).toContain(`not a shard folder: cannot read ${join(home, 'shard.json')}`);
  }, 120_000);
  it('should refuse preference formats with --shard: pairs join sessions across the whole corpus', async () => {
    const home = mkdtempSync(join(tmpdir(), 'forge-merge-'));
    const shard = await runCli(['run', '--demo', '--quiet', '--format', 'dpo-trl', '--shard', '1/2', '--out', join(home, 'shard-1'), '--cache-dir', join(home, 'cache')], { env: { HOME: home }, cwd: home });
    expect(shard.exitCode).toBe(exitCodes.usage);
    expect(shard.stderr).toContain('preference formats pair sessions across the whole corpus; write them from one run, without --shard');
  });
});
