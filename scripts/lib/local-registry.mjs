// A throwaway verdaccio for the release test: 127.0.0.1 only, temp storage, no uplinks (nothing is
// proxied: a consumer gets third-party packages from its normal registry, and @forge/* only from
// here), and a user whose token the publish step must present.
import process from 'node:process';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released for verdaccio). */
async function findFreePort() {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address != null ? address.port : 0));
    });
  });
}

function verdaccioConfig({ storageDir, htpasswdPath }) {
  return [
    `storage: ${JSON.stringify(storageDir)}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(htpasswdPath)}`,
    '    max_users: 10',
    '# No uplinks: a @forge/* name that was not published here is a 404, never a lookup elsewhere.',
    'uplinks: {}',
    'packages:',
    "  '@forge/*':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    'web:',
    '  enable: false',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n');
}

/**
 * Starts verdaccio (from the workspace's devDependencies) in its own process group.
 * @param {{ repoRoot: string, workDir: string }} options
 * @returns {Promise<{ url: string, host: string, token: string, logPath: string, stop: () => Promise<void> }>}
 */
export async function startLocalRegistry({ repoRoot, workDir }) {
  const storageDir = join(workDir, 'storage');
  mkdirSync(storageDir, { recursive: true });
  const configPath = join(workDir, 'config.yaml');
  const logPath = join(workDir, 'verdaccio.log');
  writeFileSync(configPath, verdaccioConfig({ storageDir, htpasswdPath: join(workDir, 'htpasswd') }));

  const port = await findFreePort();
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}/`;
  const log = createWriteStream(logPath);
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', configPath, '--listen', host], {
    cwd: workDir,
    // Its own process group, so stop() can end verdaccio and anything it started in one signal.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  const exitPromise = new Promise((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  // Last resort if this process ends without reaching stop() (an uncaught error, Ctrl-C, a CI
  // timeout's SIGTERM, which skips 'exit' unless handled): no orphaned registry.
  const killOnExit = () => killGroup('SIGKILL');
  const killOnSignal = (signal) => {
    killGroup('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', killOnSignal);
  process.once('SIGTERM', killOnSignal);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    process.removeListener('SIGINT', killOnSignal);
    process.removeListener('SIGTERM', killOnSignal);
    if (exited) return;
    killGroup('SIGTERM');
    await Promise.race([exitPromise, sleep(5000)]);
    if (!exited) {
      killGroup('SIGKILL');
      await Promise.race([exitPromise, sleep(5000)]);
    }
  };

  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exited) throw new Error(`verdaccio exited during start-up; its log (${logPath}):\n${readFileSync(logPath, 'utf8').slice(-3000)}`);
      try {
        const response = await globalThis.fetch(`${url}-/ping`);
        if (response.ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`verdaccio did not answer ${url}-/ping within 60 s; log: ${logPath}`);
      await sleep(250);
    }
    const token = await createUser(url);
    return { url, host, token, logPath, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Registers a throwaway user (what `npm adduser` does) and returns its bearer token. */
async function createUser(url) {
  const name = 'forge-release-test';
  const response = await globalThis.fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: `pw-${process.pid}-${Date.now()}`, email: 'release-test@forge.invalid', type: 'user', roles: [] }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || typeof body.token !== 'string') {
    throw new Error(`verdaccio refused to create the test user: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}
