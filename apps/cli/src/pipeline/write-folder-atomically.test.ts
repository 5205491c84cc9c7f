import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFolderAtomically, writeTextFile } from './write-folder-atomically.js';

function oldDataset(): { parent: string; target: string } {
  const parent = mkdtempSync(join(tmpdir(), 'forge-atomic-'));
  const target = join(parent, 'dataset');
  mkdirSync(target);
  writeFileSync(join(target, 'manifest.json'), 'old');
  return { parent, target };
}

describe('writeFolderAtomically', () => {
  it('should replace the folder whole and leave no temp folder', async () => {
    const { parent, target } = oldDataset();
    await writeFolderAtomically(target, async (folder) => {
      await writeTextFile(folder, 'sharegpt/train.jsonl', '{}\n');
      await writeTextFile(folder, 'manifest.json', 'new');
    });
    expect(readFileSync(join(target, 'manifest.json'), 'utf8')).toBe('new');
    expect(readFileSync(join(target, 'sharegpt', 'train.jsonl'), 'utf8')).toBe('{}\n');
    expect(readdirSync(parent)).toEqual(['dataset']);
  });

  it('should keep the old folder untouched when writing fails half way', async () => {
    const { parent, target } = oldDataset();
    await expect(
      writeFolderAtomically(target, async (folder) => {
        await writeTextFile(folder, 'sharegpt/train.jsonl', 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readdirSync(target)).toEqual(['manifest.json']);
    expect(readFileSync(join(target, 'manifest.json'), 'utf8')).toBe('old');
    expect(readdirSync(parent)).toEqual(['dataset']);
  });

  it('should leave the old dataset intact when the process is killed mid-write', async () => {
    const { parent, target } = oldDataset();
    // A real process, SIGKILLed while it is inside the write callback.
    const script = `
      const { writeFolderAtomically, writeTextFile } = await import(${JSON.stringify(join(import.meta.dirname, 'write-folder-atomically.ts'))});
      await writeFolderAtomically(${JSON.stringify(target)}, async (folder) => {
        await writeTextFile(folder, 'sharegpt/train.jsonl', 'half a dataset');
        process.stdout.write('writing\\n');
        await new Promise(() => {});
      });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(readdirSync(target)).toEqual(['manifest.json']);
    expect(readFileSync(join(target, 'manifest.json'), 'utf8')).toBe('old');
    const leftovers = readdirSync(parent).filter((name) => name !== 'dataset');
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/^\.forge-tmp-dataset-/);
    expect(existsSync(join(parent, leftovers[0]!, 'manifest.json'))).toBe(false);
    // The next run clears what the killed one left.
    await writeFolderAtomically(target, (folder) => writeTextFile(folder, 'manifest.json', 'new'));
    expect(readdirSync(parent)).toEqual(['dataset']);
  });
});
