import { spawn } from 'node:child_process';
import { delimiter, dirname } from 'node:path';
import { ForgeError } from '@forge/schema';

/** What one agent run produced. */
export interface ProcessResult {
  /** Exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  /** Signal that ended the process, if any. */
  signal: NodeJS.Signals | null;
  /** True when the run hit its timeout and was killed. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** Wall time of the run in milliseconds. */
  durationMs: number;
}

/** Options of {@link runAgentProcess}. */
export interface RunAgentProcessOptions {
  /** argv: program then arguments. */
  argv: string[];
  cwd: string;
  /** The complete environment (nothing is inherited). */
  env: Record<string, string>;
  /** Kill the process group after this long; default 45 s (under vitest's 60 s test timeout). */
  timeoutMs?: number;
}

/** How long a run may take unless told otherwise: below vitest's 60 s test timeout, so the run is killed, not leaked. */
export const defaultRunTimeoutMs = 45_000;

/** Nothing listens on the discard port of loopback. */
const deadProxy = 'http://127.0.0.1:9';

/**
 * A small, hermetic environment built from scratch: nothing of the caller's (no proxies, keys or CI
 * markers); outbound HTTP(S) other than to loopback is sent to a dead loopback proxy.
 * `extraPath` folders go first on PATH.
 */
export function baseAgentEnv(home: string, extraPath: string[] = []): Record<string, string> {
  const path = [...extraPath, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'];
  const env: Record<string, string> = {
    HOME: home,
    USER: 'forge',
    LOGNAME: 'forge',
    PATH: [...new Set(path)].join(delimiter),
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    TERM: 'dumb',
    NO_COLOR: '1',
    TMPDIR: `${home}/tmp`,
    // A dead proxy on loopback (port 9, discard): anything an agent tries to fetch besides the
    // stub goes there and fails at once, without even a DNS lookup; the stub is exempt.
    HTTP_PROXY: deadProxy,
    HTTPS_PROXY: deadProxy,
    http_proxy: deadProxy,
    https_proxy: deadProxy,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
  return env;
}

/** Runs a program with stdin closed, a timeout that kills its whole process group, and captured output. */
export function runAgentProcess(options: RunAgentProcessOptions): Promise<ProcessResult> {
  const [program, ...args] = options.argv;
  if (program == null) throw new ForgeError({ message: 'runAgentProcess got an empty argv', code: 'agent-run-failed', hint: 'pass the program first' });
  const timeoutMs = options.timeoutMs ?? defaultRunTimeoutMs;
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    // detached: the agent gets its own process group, so a timeout also ends its tool children.
    const child = spawn(program, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (part: Buffer) => stdout.push(part));
    child.stderr.on('data', (part: Buffer) => stderr.push(part));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid != null) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new ForgeError({
          message: `could not start ${program}: ${error.message}`,
          code: 'agent-run-failed',
          hint: 'reinstall the agent (delete its folder under the agent cache) or check the path',
          cause: error,
        }),
      );
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      // Leftover background children of the agent's tools go too.
      try {
        if (child.pid != null) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
      resolve({
        exitCode,
        signal,
        timedOut,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: Date.now() - startedAt,
      });
    });
  });
}
