import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One commit to make: a full or partial tree (files written, others kept), who and when. */
export interface FixtureCommit {
  author: string;
  authorEmail: string;
  /** ISO 8601. */
  authorDate: string;
  committer?: string;
  committerEmail?: string;
  committerDate?: string;
  message: string;
  /** Path (relative) → content, written before the commit. */
  files: Record<string, string>;
}

/** A hermetic environment for git: no user or system config, fixed identity unless the caller sets one. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    TZ: 'UTC',
    ...extra,
  };
}

/** Runs the real git in a folder and returns its trimmed stdout; throws with git's stderr on failure. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, env: gitEnv(env), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Creates a repository on branch `main` with the given commits, oldest first; returns their SHAs. */
export function createGitRepository(dir: string, commits: readonly FixtureCommit[]): string[] {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  return commits.map((commit) => {
    for (const [path, content] of Object.entries(commit.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '--allow-empty', '--no-verify', '--cleanup=verbatim', '-m', commit.message], {
      GIT_AUTHOR_NAME: commit.author,
      GIT_AUTHOR_EMAIL: commit.authorEmail,
      GIT_AUTHOR_DATE: commit.authorDate,
      GIT_COMMITTER_NAME: commit.committer ?? commit.author,
      GIT_COMMITTER_EMAIL: commit.committerEmail ?? commit.authorEmail,
      GIT_COMMITTER_DATE: commit.committerDate ?? commit.authorDate,
    });
    return git(dir, ['rev-parse', 'HEAD']);
  });
}
