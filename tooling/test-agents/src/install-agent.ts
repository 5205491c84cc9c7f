import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ForgeError } from '@forge/schema';

/** The agent programs this package can install. */
export type AgentName = 'pi' | 'omp' | 'claude' | 'claude-2.0' | 'ccusage' | 'codex' | 'gemini' | 'opencode';

/** A pinned agent install recipe. */
export interface AgentSpec {
  /** The npm package whose version is reported. */
  packageName: string;
  /** Pinned version. */
  version: string;
  /** Everything `npm install` gets (the agent plus runtime helpers such as bun). */
  packages: string[];
}

/** Pinned versions; the shared fixtures were written by exactly these. */
export const agentSpecs: Record<AgentName, AgentSpec> = {
  pi: { packageName: '@mariozechner/pi-coding-agent', version: '0.73.1', packages: ['@mariozechner/pi-coding-agent@0.73.1'] },
  omp: {
    packageName: '@oh-my-pi/pi-coding-agent',
    version: '18.2.3',
    packages: ['@oh-my-pi/pi-coding-agent@18.2.3', 'bun@1.3.14'],
  },
  claude: { packageName: '@anthropic-ai/claude-code', version: '2.1.330', packages: ['@anthropic-ai/claude-code@2.1.330'] },
  'claude-2.0': { packageName: '@anthropic-ai/claude-code', version: '2.0.76', packages: ['@anthropic-ai/claude-code@2.0.76'] },
  ccusage: { packageName: 'ccusage', version: '20.0.24', packages: ['ccusage@20.0.24', '@ccusage/ccusage-linux-x64@20.0.24'] },
  // The native binary comes in the platform package npm picks from optionalDependencies.
  codex: { packageName: '@openai/codex', version: '0.169.0', packages: ['@openai/codex@0.169.0'] },
  gemini: { packageName: '@google/gemini-cli', version: '0.61.0', packages: ['@google/gemini-cli@0.61.0'] },
  opencode: { packageName: 'opencode-ai', version: '1.18.33', packages: ['opencode-ai@1.18.33'] },
};

/** An installed agent. */
export interface InstalledAgent {
  name: AgentName;
  /** The program's entry: a JS file for node/bun programs, the executable for native ones. */
  bin: string;
  /** The installed version (read from the package's package.json). */
  version: string;
  /** argv prefix that starts the program: `[node, cli.js]`, `[bun, cli.js]` or `[binary]`. */
  command: string[];
  /** The install folder (`<cacheDir>/<name>@<version>`). */
  installDir: string;
  /** Extra environment the program needs (omp: where bun is). */
  env?: Record<string, string>;
  /** True when this call ran `npm install`; false when it reused the cache. */
  freshInstall: boolean;
}

/** Options of {@link installAgent}. */
export interface InstallAgentOptions {
  /** Cache folder; default `$FORGE_TEST_AGENTS_DIR`, else `~/.cache/forge-test-agents`. */
  cacheDir?: string;
  /** Environment for `npm` and for reading `FORGE_TEST_AGENTS_DIR`; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Give up installing after this long; default 10 minutes. */
  timeoutMs?: number;
  /** A lock older than this is taken as left by a dead process; default 15 minutes. */
  staleLockMs?: number;
}

/** Thrown when an agent cannot be installed; carries npm's output. */
export class AgentInstallError extends ForgeError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super({ message, code: 'agent-install-failed', hint: options.hint ?? 'check npm registry access and the output above', cause: options.cause });
    this.name = 'AgentInstallError';
  }
}

const markerName = '.forge-test-agents-installed.json';

/** The cache folder installs go to. */
export function agentCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.FORGE_TEST_AGENTS_DIR;
  return configured != null && configured !== '' ? configured : join(homedir(), '.cache', 'forge-test-agents');
}

/** True when the install folder holds a completed install (its marker file). */
export function isAgentInstalled(name: AgentName, options: InstallAgentOptions = {}): boolean {
  const spec = agentSpecs[name];
  return existsSync(join(options.cacheDir ?? agentCacheDir(options.env), `${name}@${spec.version}`, markerName));
}

function runNpm(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('npm', args, { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}\n${stderr}`;
      if (error == null) resolve(output);
      else reject(new AgentInstallError(`npm ${args.join(' ')} failed in ${cwd}: ${error.message}\n${output}`, { cause: error }));
    });
  });
}

/** A big file, not the few-byte placeholder npm ships before a postinstall copies the binary in. */
function isRealBinary(path: string): boolean {
  try {
    return statSync(path).size > 1024 * 1024;
  } catch {
    return false;
  }
}

function firstRealBinary(candidates: string[]): string | undefined {
  return candidates.find(isRealBinary);
}

function platformTag(): string {
  return `${process.platform}-${process.arch}`;
}

async function describeInstall(name: AgentName, installDir: string, freshInstall = false): Promise<InstalledAgent> {
  const spec = agentSpecs[name];
  const modules = join(installDir, 'node_modules');
  const packageDir = join(modules, spec.packageName);
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const base = { name, version: manifest.version, installDir, freshInstall };
  switch (name) {
    case 'pi': {
      const bin = join(packageDir, 'dist', 'cli.js');
      return { ...base, bin, command: [process.execPath, bin] };
    }
    case 'omp': {
      const bin = join(packageDir, 'dist', 'cli.js');
      // bun's postinstall copies the platform binary over bin/bun.exe; if scripts did not run,
      // take the platform package's binary directly.
      const tag = platformTag();
      const bun = firstRealBinary([
        join(modules, 'bun', 'bin', 'bun.exe'),
        join(modules, '@oven', `bun-${tag}`, 'bin', 'bun'),
        join(modules, '@oven', `bun-${tag}-baseline`, 'bin', 'bun'),
      ]);
      if (bun == null) throw new AgentInstallError(`No bun binary for ${tag} under ${modules} (bun@1.3.14 install incomplete).`);
      return { ...base, bin, command: [bun, bin], env: { OMP_BUN: bun, BUN_PATH_DIR: dirname(bun) } };
    }
    case 'claude': {
      // 2.1.x is a native binary; its postinstall copies it over bin/claude.exe.
      const bin = firstRealBinary([
        join(modules, '@anthropic-ai', `claude-code-${platformTag()}`, 'claude'),
        join(packageDir, 'bin', 'claude.exe'),
      ]);
      if (bin == null) throw new AgentInstallError(`No native Claude Code binary for ${platformTag()} under ${modules}.`);
      return { ...base, bin, command: [bin] };
    }
    case 'claude-2.0': {
      const bin = join(packageDir, 'cli.js');
      return { ...base, bin, command: [process.execPath, bin] };
    }
    case 'ccusage': {
      const bin = join(packageDir, 'src', 'cli.js');
      return { ...base, bin, command: [process.execPath, bin] };
    }
    case 'codex': {
      // bin/codex.js only finds and spawns this native binary; run it directly.
      const triple = process.arch === 'arm64' ? 'aarch64-unknown-linux-musl' : 'x86_64-unknown-linux-musl';
      const bin = firstRealBinary([join(modules, '@openai', `codex-${platformTag()}`, 'vendor', triple, 'bin', 'codex')]);
      if (bin == null) throw new AgentInstallError(`No native Codex binary for ${platformTag()} under ${modules}.`);
      return { ...base, bin, command: [bin] };
    }
    case 'gemini': {
      const bin = join(packageDir, 'bundle', 'gemini.js');
      return { ...base, bin, command: [process.execPath, bin] };
    }
    case 'opencode': {
      // The postinstall copies the platform binary over bin/opencode.exe; without scripts, take the platform package's.
      const bin = firstRealBinary([join(modules, `opencode-${platformTag()}`, 'bin', 'opencode'), join(packageDir, 'bin', 'opencode.exe')]);
      if (bin == null) throw new AgentInstallError(`No native OpenCode binary for ${platformTag()} under ${modules}.`);
      return { ...base, bin, command: [bin] };
    }
  }
}

async function lockAge(lockDir: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(lockDir)).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Installs a pinned agent once into `<cacheDir>/<name>@<version>` (outside the repo) with
 * `npm install --prefix`, and reuses it afterwards. A marker file is written after a successful
 * install; a lock folder keeps concurrent callers (parallel test files) from installing twice.
 */
export async function installAgent(name: AgentName, options: InstallAgentOptions = {}): Promise<InstalledAgent> {
  const spec = agentSpecs[name];
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir ?? agentCacheDir(env);
  const installDir = join(cacheDir, `${name}@${spec.version}`);
  const marker = join(installDir, markerName);
  const lockDir = `${installDir}.lock`;
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const staleLockMs = options.staleLockMs ?? 15 * 60_000;
  const deadline = Date.now() + timeoutMs + staleLockMs;
  await mkdir(cacheDir, { recursive: true });
  let freshInstall = false;

  while (!existsSync(marker)) {
    try {
      await mkdir(lockDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await lockAge(lockDir);
      if (age != null && age > staleLockMs) await rm(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new AgentInstallError(`Timed out waiting for the install lock ${lockDir}; remove it if no install is running.`);
      else await sleep(1000);
      continue;
    }
    try {
      if (existsSync(marker)) break;
      // A folder without marker is a failed or interrupted install: start clean.
      await rm(installDir, { recursive: true, force: true });
      await mkdir(installDir, { recursive: true });
      const npmEnv = { ...env, npm_config_engine_strict: 'false', npm_config_update_notifier: 'false' };
      const startedAt = Date.now();
      // cwd = the install folder, so no project .npmrc (engine-strict) applies; Claude Code
      // 2.1.x declares node >=22 but its native binary does not use node at all.
      const output = await runNpm(
        ['install', '--prefix', installDir, '--no-audit', '--no-fund', '--no-save', '--engine-strict=false', ...spec.packages],
        installDir,
        npmEnv,
        timeoutMs,
      );
      const installed = await describeInstall(name, installDir);
      await writeFile(
        marker,
        `${JSON.stringify({ packages: spec.packages, version: installed.version, seconds: (Date.now() - startedAt) / 1000, npmOutput: output.slice(-4000) }, null, 2)}\n`,
      );
      freshInstall = true;
    } finally {
      await rm(lockDir, { recursive: true, force: true });
    }
  }
  return describeInstall(name, installDir, freshInstall);
}
