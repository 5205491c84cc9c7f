import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGitRepository, git } from '@forge-internal/test-agents';
import { readCommitPatches } from './read-commit-patches.js';

describe('readCommitPatches', () => {
  it('should give per file the added lines and counts of real git diffs, merges against their first parent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forge-patches-'));
    const [first, second] = createGitRepository(dir, [
      { author: 'a', authorEmail: 'a@example.com', authorDate: '2026-01-01T00:00:00Z', message: 'one', files: { 'src/a.ts': 'const a = 1;\nconst b = 2;\n', 'logo.bin': '\u0000\u0001' } },
      { author: 'a', authorEmail: 'a@example.com', authorDate: '2026-01-02T00:00:00Z', message: 'two', files: { 'src/a.ts': 'const a = 1;\nconst b = 3;\nconst c = 4;\n', 'logo.bin': '\u0000\u0002' } },
    ]);
    git(dir, ['checkout', '-q', '-b', 'side', first!]);
    writeFileSync(join(dir, 'side.txt'), 'side line\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'side']);
    git(dir, ['checkout', '-q', 'main']);
    git(dir, ['merge', '-q', '--no-ff', '-m', 'merge side', 'side']);
    const merge = git(dir, ['rev-parse', 'HEAD']);
    const warnings: unknown[] = [];
    const patches = await readCommitPatches(join(dir, '.git'), [second!, merge, 'f'.repeat(40)], { env: { PATH: '/usr/bin:/bin' }, onWarning: (warning) => warnings.push(warning) });
    // An unknown sha is reported, not thrown, and the others are still read.
    expect(warnings).toEqual([expect.objectContaining({ kind: 'not-a-repository', message: expect.stringContaining('ffffffff') })]);
    expect(patches).toEqual([
      { sha: second, files: [{ path: 'logo.bin', additions: 0, deletions: 0, addedLines: [], binary: true }, { path: 'src/a.ts', additions: 2, deletions: 1, addedLines: ['const b = 3;', 'const c = 4;'] }] },
      { sha: merge, files: [{ path: 'side.txt', additions: 1, deletions: 0, addedLines: ['side line'] }] },
    ]);
  });
});
