import { type Writable } from 'node:stream';

/** Everything the CLI touches of its process, passed in so tests run it in-process. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The real process. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Exit codes: scripts can tell a clean run, a run that finished with warnings, and a failure apart. */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  doneWithWarnings: 3,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
