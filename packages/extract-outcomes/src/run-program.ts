import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What a finished program run gave. */
export interface ProgramResult {
  /** Null when the program could not be started or was killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not run (not found, timed out). */
  failure?: string;
}

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  cwd?: string;
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
}

/**
 * Runs a program with an argument array (never a shell), stdin closed, and collects its output.
 * Never throws: a missing program or a timeout is reported in `failure`.
 */
export function runProgram(program: string, args: readonly string[], options: RunProgramOptions): Promise<ProgramResult> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failure: string | undefined;
    const child = spawn(program, args, { cwd: options.cwd, env: definedEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      failure = `timed out after ${options.timeoutMs ?? defaultTimeoutMs} ms`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? defaultTimeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      failure ??= error.message;
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const result: ProgramResult = { exitCode: failure == null ? exitCode : null, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      if (failure != null) result.failure = failure;
      resolve(result);
    });
  });
}

const defaultTimeoutMs = 120_000;

function definedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value != null) result[key] = value;
  return result;
}

/** The absolute path of an executable found on `PATH`, or undefined. */
export function findOnPath(name: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
