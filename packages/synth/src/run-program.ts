import { spawn } from 'node:child_process';

/** How one program run ended. */
export interface ProgramResult {
  /** Exit code, null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Killed because `signal` aborted. */
  aborted: boolean;
  /** The spawn itself failed (program not found, not executable). */
  spawnError?: string;
  /** The last lines of stderr (at most {@link stderrTailLimit} characters). */
  stderrTail: string;
  /** All of stdout, up to 1 MiB (the head is kept). */
  stdout: string;
  durationMs: number;
}

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  /** Program then arguments: handed to the OS as they are, never to a shell. */
  argv: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
  /** Aborting kills the program's process group at once (the result then has `aborted`). */
  signal?: AbortSignal;
}

/** The most stderr a report keeps. */
export const stderrTailLimit = 4000;
const stdoutLimit = 1024 * 1024;

/**
 * Runs a program with an argument array (no shell), stdin closed, in its own process group so a
 * timeout also ends the tools it started; never rejects.
 */
export function runProgram(options: RunProgramOptions): Promise<ProgramResult> {
  const [program, ...args] = options.argv;
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let stderr = '';
    let stdout = '';
    let timedOut = false;
    let aborted = false;
    let spawnError: string | undefined;
    const child = spawn(program ?? '', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: false });
    const killGroup = () => {
      try {
        if (child.pid != null) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (part: string) => {
      if (stdout.length < stdoutLimit) stdout += part.slice(0, stdoutLimit - stdout.length);
    });
    child.stderr.setEncoding('utf8').on('data', (part: string) => {
      stderr = (stderr + part).slice(-stderrTailLimit * 2);
    });
    let settled = false;
    const settle = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      killGroup(); // background children of the program's tools go too
      resolve({ exitCode, signal, timedOut, aborted, ...(spawnError == null ? {} : { spawnError }), stderrTail: tail(stderr), stdout, durationMs: Date.now() - startedAt });
    };
    child.on('error', (error) => {
      spawnError = error.message;
      // A program that never started emits no 'close' on every Node version.
      if (child.pid == null) settle(null, null);
    });
    child.on('close', settle);
  });
}

/** The end of a text, cut at a line start, at most {@link stderrTailLimit} characters. */
function tail(text: string): string {
  if (text.length <= stderrTailLimit) return text;
  const cut = text.slice(-stderrTailLimit);
  const newline = cut.indexOf('\n');
  return newline === -1 ? cut : cut.slice(newline + 1);
}
