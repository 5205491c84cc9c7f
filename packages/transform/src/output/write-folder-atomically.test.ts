import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransformError } from '../transform-error.js';
import { removeAbandonedFolders, writeFolderAtomically } from './write-folder-atomically.js';

/** Writes one file inside the folder being built. */
async function writeTextFile(folder: string, relativePath: string, text: string): Promise<void> {
  await mkdir(dirname(join(folder, relativePath)), { recursive: true });
  await writeFile(join(folder, relativePath), text);
}

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
      const { writeFolderAtomically } = await import(${JSON.stringify(join(import.meta.dirname, 'write-folder-atomically.ts'))});
      const { writeFile } = await import('node:fs/promises');
      await writeFolderAtomically(${JSON.stringify(target)}, async (folder) => {
        await writeFile(folder + '/manifest.json.part', 'half a dataset');
        process.stdout.write('writing\\n');
        // Pending until killed (a timer keeps the process alive).
        await new Promise(() => setInterval(() => undefined, 1000));
      });`;
    const child = spawn(process.execPath, ['--conditions=@forge/source', '--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => resolve());
      child.on('exit', (code) => reject(new Error(`the writing process ended early (exit ${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(readdirSync(target)).toEqual(['manifest.json']);
    expect(readFileSync(join(target, 'manifest.json'), 'utf8')).toBe('old');
    const leftovers = readdirSync(parent).filter((name) => name !== 'dataset');
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/^\.forge-tmp-dataset-/);
    expect(existsSync(join(parent, leftovers[0]!, 'manifest.json'))).toBe(false);
    // A later run clears what the killed one left, even before it writes anything.
    expect(await removeAbandonedFolders(target)).toEqual([join(parent, leftovers[0]!)]);
    expect(readdirSync(parent)).toEqual(['dataset']);
  });

  it('should leave the temp folder of a write still running, and other folders, alone', async () => {
    const { parent, target } = oldDataset();
    const running = join(parent, `.forge-tmp-dataset-${process.pid}-1`);
    const otherTarget = join(parent, '.forge-tmp-other-999999999-1');
    mkdirSync(running);
    mkdirSync(otherTarget);
    expect(await removeAbandonedFolders(target)).toEqual([]);
    expect(readdirSync(parent).sort()).toEqual(['.forge-tmp-dataset-' + process.pid + '-1', '.forge-tmp-other-999999999-1', 'dataset']);
  });

  it('should say which folder cannot be written and why, without an errno stack', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'forge-atomic-'));
    // A file where a folder of the path should be: ENOTDIR for root and users alike.
    writeFileSync(join(parent, 'not-a-folder'), '');
    const target = join(parent, 'not-a-folder', 'dataset');
    const failure = await writeFolderAtomically(target, () => Promise.resolve()).catch((error: unknown) => error);
    expect(TransformError.isInstance(failure)).toBe(true);
    expect((failure as TransformError).code).toBe('dataset-unwritable');
    expect((failure as Error).message).toMatch(new RegExp(`^cannot write the dataset folder ${target}: a file is where a folder should be \\(EEXIST mkdir at ${parent}/not-a-folder\\)`));
  });
});
