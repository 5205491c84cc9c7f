// Child processes for the release scripts: output streamed with a prefix, failures that say what ran.
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { spawn } from 'node:child_process';

/** Children still running; each leads its own process group, ended with everything it started. */
const activeChildren = new Set();
process.on('exit', () => {
  for (const child of activeChildren) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/**
 * Runs `command args` and resolves with its output; rejects when it exits non-zero.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, quiet?: boolean, allowFailure?: boolean, timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function runCommand(command, args, options = {}) {
  const { cwd = process.cwd(), env = process.env, quiet = false, allowFailure = false, timeoutMs = 600_000 } = options;
  const shown = `${command} ${args.join(' ')}`;
  if (!quiet) process.stdout.write(`\n$ ${shown}   (in ${cwd})\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    activeChildren.add(child);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!quiet) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(chunk);
    });
    child.on('error', (error) => {
      activeChildren.delete(child);
      clearTimeout(timer);
      reject(new Error(`could not start \`${shown}\`: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      activeChildren.delete(child);
      clearTimeout(timer);
      const exitCode = code ?? 1;
      if (exitCode !== 0 && !allowFailure) {
        const tail = (stderr || stdout).trim().split('\n').slice(-15).join('\n');
        const why = signal != null ? `was killed by ${signal} (timeout ${timeoutMs} ms?)` : `exited with ${exitCode}`;
        reject(new Error(`\`${shown}\` in ${cwd} ${why}\n${tail}`));
        return;
      }
      resolve({ code: exitCode, stdout, stderr });
    });
  });
}
