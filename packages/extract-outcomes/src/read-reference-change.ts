import { type SessionWarning } from '@forge/schema';
import { runGit } from './run-git.js';

/** The change a session's commits made: where, from which base, and the diff. */
export interface ReferenceChange {
  /** The repository's top folder (the worktree holding `cwd`). */
  repository: string;
  /** The parent of the first commit. */
  base: string;
  /** The last commit. */
  head: string;
  /** `git diff --binary base head`: applies to `base` with `git apply`. */
  diff: string;
}

/**
 * Reads, read-only with the real git, the change of `shas` (in the order the session made them)
 * in the repository holding `cwd`: the first commit's parent, the last commit and the diff
 * between them. Undefined (with a warning) when the folder is no repository or a commit is unknown.
 */
export async function readReferenceChange(
  cwd: string,
  shas: readonly string[],
  options: { env?: Readonly<Record<string, string | undefined>>; onWarning?: (warning: SessionWarning) => void } = {},
): Promise<ReferenceChange | undefined> {
  const env = options.env ?? process.env;
  const warn = (message: string): undefined => {
    options.onWarning?.({ file: cwd, kind: 'not-a-repository', message });
    return undefined;
  };
  if (shas.length === 0) return warn('no commit to take a reference change from');
  const top = await runGit(['rev-parse', '--show-toplevel'], { cwd, env });
  if (top.exitCode !== 0) return warn(`not a git repository: ${top.failure ?? top.stderr.trim()}`);
  const repository = top.stdout.trim();
  const base = await runGit(['rev-parse', '--verify', '--quiet', `${shas[0]}^`], { cwd, env });
  if (base.exitCode !== 0) return warn(`the first commit ${shas[0]} has no parent in ${repository}`);
  const head = shas[shas.length - 1]!;
  const diff = await runGit(['diff', '--binary', '--no-color', '--no-ext-diff', '--no-textconv', base.stdout.trim(), head], { cwd, env });
  if (diff.exitCode !== 0) return warn(`git diff ${base.stdout.trim()} ${head} failed: ${diff.failure ?? diff.stderr.trim()}`);
  return { repository, base: base.stdout.trim(), head, diff: diff.stdout };
}

/** Writes the tree of `commit` as a tar file (`git archive`): the repository at a scenario's base, for its environment. */
export async function archiveCommit(repository: string, commit: string, tarFile: string, options: { env?: Readonly<Record<string, string | undefined>> } = {}): Promise<boolean> {
  const result = await runGit(['archive', '--format=tar', `--output=${tarFile}`, commit], { cwd: repository, env: options.env ?? process.env });
  return result.exitCode === 0;
}
