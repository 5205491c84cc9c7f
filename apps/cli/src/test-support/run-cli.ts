import { PassThrough } from 'node:stream';
import { main } from '../main.js';

/** Runs the CLI in-process with captured output; env is exactly what is given (no leak of the real HOME). */
export async function runCli(argv: string[], { env, cwd }: { env: NodeJS.ProcessEnv; cwd: string }): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exitCode = await main(argv, { stdout, stderr, env, cwd });
  return { exitCode, stdout: out, stderr: err };
}
