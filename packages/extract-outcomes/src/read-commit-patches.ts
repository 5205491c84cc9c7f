import { type CommitPatch, type SessionWarning } from '@forge/schema';
import { runGit } from './run-git.js';

const batchSize = 200;

/**
 * The diffs of some commits of a repository (`Repository.id`), read with one `git show` per 200
 * commits: per file the added and deleted line counts and the added lines' text (for code
 * survival). Merges are diffed against their first parent. Unknown shas become a warning.
 */
export async function readCommitPatches(
  repositoryId: string,
  shas: readonly string[],
  options: { env?: Readonly<Record<string, string | undefined>>; onWarning?: (warning: SessionWarning) => void } = {},
): Promise<CommitPatch[]> {
  const env = options.env ?? process.env;
  const unique = [...new Set(shas)];
  const patches: CommitPatch[] = [];
  const show = (batch: string[]) => runGit(['show', '--format=%x1e%H', '--unified=0', '--no-color', '--no-ext-diff', '--no-textconv', '--diff-merges=first-parent', '--no-renames', ...batch], { gitDir: repositoryId, env });
  for (let start = 0; start < unique.length; start += batchSize) {
    const batch = unique.slice(start, start + batchSize);
    const result = await show(batch);
    if (result.exitCode === 0) {
      patches.push(...parseShowOutput(result.stdout));
      continue;
    }
    // One unknown sha fails the whole call: read the batch one by one to keep the others.
    for (const sha of batch.length > 1 ? batch : []) {
      const single = await show([sha]);
      if (single.exitCode === 0) patches.push(...parseShowOutput(single.stdout));
      else options.onWarning?.({ file: repositoryId, kind: 'not-a-repository', message: `git show ${sha} failed: ${single.failure ?? single.stderr.trim().split('\n')[0] ?? ''}` });
    }
    if (batch.length === 1) options.onWarning?.({ file: repositoryId, kind: 'not-a-repository', message: `git show ${batch[0]} failed: ${result.failure ?? result.stderr.trim().split('\n')[0] ?? ''}` });
  }
  return patches;
}

/** Splits `git show --format=%x1e%H --unified=0` output into per-commit, per-file added lines. */
export function parseShowOutput(output: string): CommitPatch[] {
  const patches: CommitPatch[] = [];
  for (const part of output.split('\u001e')) {
    const lines = part.split('\n');
    const sha = lines[0]?.trim() ?? '';
    if (!/^[0-9a-f]{7,64}$/u.test(sha)) continue;
    const patch: CommitPatch = { sha, files: [] };
    let file: CommitPatch['files'][number] | undefined;
    let inHunk = false;
    for (const line of lines.slice(1)) {
      if (line.startsWith('diff --git ')) {
        const match = / b\/(.*)$/u.exec(line);
        file = { path: match?.[1] ?? line.slice(11), additions: 0, deletions: 0, addedLines: [] };
        patch.files.push(file);
        inHunk = false;
      } else if (file == null) {
        continue;
      } else if (line.startsWith('@@')) {
        inHunk = true;
      } else if (!inHunk) {
        if (line.startsWith('+++ ') && line !== '+++ /dev/null') file.path = line.slice(4).replace(/^b\//u, '');
        else if (line.startsWith('Binary files ')) file.binary = true;
      } else if (line.startsWith('+')) {
        file.additions += 1;
        file.addedLines.push(line.slice(1));
      } else if (line.startsWith('-')) {
        file.deletions += 1;
      }
    }
    patches.push(patch);
  }
  return patches;
}
