import { type Commit, type Repository, type SessionWarning } from '@forge/schema';
import { toIsoTime } from './iso-time.js';
import { runGit } from './run-git.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The repository that holds a folder: its common git dir (shared by worktrees) and worktree root. */
export async function locateRepository(folder: string, env: Env): Promise<{ id: string; root: string } | undefined> {
  const result = await runGit(['rev-parse', '--path-format=absolute', '--git-common-dir', '--show-toplevel'], { cwd: folder, env });
  if (result.exitCode !== 0) return undefined;
  const [id, root] = result.stdout.trim().split('\n');
  if (id == null || id === '') return undefined;
  return { id, root: root ?? folder };
}

const field = '\u001f';
const record = '\u001e';
const logFormat = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%s', '%B'].join('%x1f') + '%x1e';

/**
 * Every commit of every ref (stash excluded) with its author, committer, times and whole message,
 * which ones landed on the default branch, and which polecat branches hold the others. No diffs:
 * those are read per linked commit (`readCommitPatches`).
 */
export async function readRepository(id: string, worktrees: string[], env: Env, warnings: SessionWarning[]): Promise<Repository> {
  const git = { gitDir: id, env };
  const repository: Repository = { id, worktrees: [...worktrees].sort(), commits: [] };
  const defaultRefs = await findDefaultRefs(id, env);
  if (defaultRefs.length > 0) repository.defaultBranch = defaultRefs[0];
  const log = await runGit(['log', '--exclude=refs/stash', '--all', `--format=${logFormat}`], git);
  if (log.exitCode !== 0) {
    // An empty repository has no commits to log; anything else is worth a warning.
    if (!/does not have any commits|bad default revision/u.test(log.stderr)) {
      warnings.push({ file: id, kind: 'not-a-repository', message: `git log failed: ${log.failure ?? log.stderr.trim().split('\n')[0] ?? ''}` });
    }
    return repository;
  }
  const landed = defaultRefs.length === 0 ? new Set<string>() : await revList(defaultRefs, [], git);
  const branchesOf = await polecatBranches(defaultRefs, git);
  for (const text of log.stdout.split(record)) {
    const parts = text.replace(/^\n/u, '').split(field);
    if (parts.length < 10) continue;
    const [sha = '', parents = '', authorName = '', authorEmail = '', authorTime = '', committerName = '', committerEmail = '', committerTime = '', subject = ''] = parts;
    const message = parts.slice(9).join(field).replace(/\n$/u, '');
    const commit: Commit = {
      sha,
      parents: parents === '' ? [] : parents.split(' '),
      authorName,
      authorEmail,
      authorTime: toIsoTime(authorTime) ?? authorTime,
      committerName,
      committerEmail,
      committerTime: toIsoTime(committerTime) ?? committerTime,
      subject,
      message,
      landed: landed.has(sha),
      branches: branchesOf.get(sha) ?? [],
    };
    repository.commits.push(commit);
  }
  return repository;
}

/** The refs "landed" is measured against: `origin/HEAD`'s branch, else main or master; its local and remote names. */
async function findDefaultRefs(gitDir: string, env: Env): Promise<string[]> {
  const originHead = await runGit(['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD'], { gitDir, env });
  const remoteDefault = originHead.exitCode === 0 ? originHead.stdout.trim() : '';
  const candidates = remoteDefault === '' ? ['main', 'origin/main', 'master', 'origin/master'] : [remoteDefault.replace(/^[^/]+\//u, ''), remoteDefault];
  const refs: string[] = [];
  for (const name of candidates) {
    const verified = await runGit(['rev-parse', '-q', '--verify', `${name}^{commit}`], { gitDir, env });
    if (verified.exitCode === 0) refs.push(name);
  }
  const base = refs[0]?.replace(/^origin\//u, '');
  return refs.filter((name) => name.replace(/^origin\//u, '') === base);
}

async function revList(include: string[], exclude: string[], git: { gitDir: string; env: Env }): Promise<Set<string>> {
  const result = await runGit(['rev-list', ...include, ...(exclude.length === 0 ? [] : ['--not', ...exclude])], git);
  return new Set(result.exitCode === 0 ? result.stdout.split('\n').filter((line) => line !== '') : []);
}

/** sha → the polecat branches (`polecat/<name>/<bead>@…`, local or remote) holding it off the default branch. */
async function polecatBranches(defaultRefs: string[], git: { gitDir: string; env: Env }): Promise<Map<string, string[]>> {
  const listed = await runGit(['for-each-ref', '--format=%(refname:short)', 'refs/heads/polecat/', 'refs/remotes/'], git);
  const branches = listed.stdout.split('\n').filter((name) => /(^|\/)polecat\/[^/]+\/[^/]+/u.test(name)).sort();
  const byCommit = new Map<string, string[]>();
  for (const branch of branches) {
    const name = branch.replace(/^[^/]+\/(?=polecat\/)/u, '');
    for (const sha of await revList([branch], defaultRefs, git)) {
      const list = byCommit.get(sha) ?? [];
      if (!list.includes(name)) list.push(name);
      byCommit.set(sha, list);
    }
  }
  return byCommit;
}
