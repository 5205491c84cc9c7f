import { runProgram, type ProgramResult } from './run-program.js';

/**
 * Runs the real git read-only: `--no-optional-locks` (and GIT_OPTIONAL_LOCKS=0) so that not even
 * `status` refreshes the index, no pager, no prompts; never a command that fetches or writes.
 */
export function runGit(args: readonly string[], options: { cwd?: string; gitDir?: string; env: Readonly<Record<string, string | undefined>> }): Promise<ProgramResult> {
  const prefix = ['--no-optional-locks', '--no-pager', '-c', 'core.quotePath=false'];
  if (options.gitDir != null) prefix.push(`--git-dir=${options.gitDir}`);
  const env = { ...options.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  return runProgram('git', [...prefix, ...args], { env, timeoutMs: 300_000, ...(options.cwd == null ? {} : { cwd: options.cwd }) });
}
