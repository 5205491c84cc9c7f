import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './test-support/temp-dirs.js';
import { discoverClaudeSessions } from './discover-claude-sessions.js';
import { extractClaudeSessions } from './extract-claude-sessions.js';
import { readClaudeSession } from './read-claude-session.js';
import { copyToTemp, handWrittenRoot, samplesAsConfigDir } from './test-support/fixtures.js';

/** Every file and folder under root with its size and mtime: any write shows up as a difference. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const info = await stat(path);
      entries.set(path, `${entry.isDirectory() ? 'dir' : 'file'}:${info.size}:${info.mtimeMs}`);
      if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(root);
  return entries;
}

afterAll(removeTempDirs);

describe('extractClaudeSessions', () => {
  it('should write nothing under the config dir', async () => {
    const handWritten = await copyToTemp(handWrittenRoot);
    const samples = await samplesAsConfigDir();
    const before = [await snapshot(handWritten), await snapshot(samples)];
    let count = 0;
    for (const workers of [1, 2]) {
      for await (const _session of extractClaudeSessions({ roots: [handWritten, samples], workers })) count += 1;
    }
    for await (const file of discoverClaudeSessions({ roots: [handWritten, samples] })) count += (await readClaudeSession(file.path)).length;
    expect(count).toBeGreaterThan(0);
    expect(await snapshot(handWritten)).toEqual(before[0]);
    expect(await snapshot(samples)).toEqual(before[1]);
  });
});
