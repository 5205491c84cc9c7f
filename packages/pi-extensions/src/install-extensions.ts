import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExtensionInstallError } from './extension-install-error.js';

/** The programs that load these extensions. */
export const extensionHarnesses = ['pi', 'omp'] as const;
export type ExtensionHarness = (typeof extensionHarnesses)[number];

/** The bundled extension files, one self-contained ES module each (only `node:` built-ins besides). */
export const extensionFileNames = ['forge-training-capture.js', 'forge-outcome-tagging.js'] as const;

/** Options of {@link installExtensions}. */
export interface InstallExtensionsOptions {
  harness: ExtensionHarness;
  /** The folder to put them in; default the harness's user extensions folder ({@link defaultExtensionDir}). */
  dir?: string;
  /** The environment that decides the default folder (`HOME`, `PI_CODING_AGENT_DIR`, `PI_CONFIG_DIR`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What {@link installExtensions} did. */
export interface InstalledExtensions {
  harness: ExtensionHarness;
  dir: string;
  /** Absolute paths of the files written. */
  files: string[];
}

/**
 * The folder a harness auto-loads user extensions from: pi `~/.pi/agent/extensions`, omp
 * `~/.omp/agent/extensions` (pi 0.73.1 `getAgentDir()`, omp 18.2.3 pi-utils `dirs.ts`; both honour
 * `PI_CODING_AGENT_DIR`, omp also `PI_CONFIG_DIR`). omp profiles and XDG moves are not followed:
 * pass `dir` for those.
 */
export function defaultExtensionDir(harness: ExtensionHarness, env: Readonly<Record<string, string | undefined>> = {}): string {
  const agentDir = env.PI_CODING_AGENT_DIR;
  if (agentDir != null && agentDir !== '') return join(expandHome(agentDir, env), 'extensions');
  const configDir = harness === 'omp' ? (env.PI_CONFIG_DIR ?? '.omp') : '.pi';
  return join(homeOf(env), configDir, 'agent', 'extensions');
}

/**
 * Copies training-capture and outcome-tagging into the folder the harness loads extensions from
 * (each file written to a temp name, then renamed). Re-running replaces them.
 *
 * @throws ExtensionInstallError `usage` for an unknown harness, `extension-bundle-missing` when the
 *   package was not built, `extension-install-failed` when the folder cannot be written.
 */
export async function installExtensions(options: InstallExtensionsOptions): Promise<InstalledExtensions> {
  if (!(extensionHarnesses as readonly string[]).includes(options.harness)) {
    throw new ExtensionInstallError({ message: `unknown harness ${JSON.stringify(options.harness)}`, code: 'usage', hint: `use one of ${extensionHarnesses.join(', ')}` });
  }
  const dir = resolve(options.dir ?? defaultExtensionDir(options.harness, options.env));
  const bundleDir = await bundledExtensionDir();
  const files: string[] = [];
  try {
    await mkdir(dir, { recursive: true });
    for (const name of extensionFileNames) {
      const target = join(dir, name);
      const temporary = `${target}.${process.pid}.tmp`;
      await copyFile(join(bundleDir, name), temporary);
      await rename(temporary, target);
      files.push(target);
    }
  } catch (error) {
    throw new ExtensionInstallError({ message: `could not write the extensions: ${(error as Error).message}`, code: 'extension-install-failed', location: { file: dir }, hint: 'check that the folder is writable, or pick another with --dir', cause: error });
  }
  return { harness: options.harness, dir, files };
}

/** `dist/extensions` of this package, where the build puts the bundles. */
export async function bundledExtensionDir(): Promise<string> {
  // One level below the package root both as source (src/) and built (dist/index.js).
  const bundleDir = fileURLToPath(new URL('../dist/extensions/', import.meta.url));
  for (const name of extensionFileNames) {
    if ((await stat(join(bundleDir, name)).catch(() => undefined)) == null) throw bundleMissing(bundleDir);
  }
  return bundleDir;
}

function bundleMissing(where: string): ExtensionInstallError {
  return new ExtensionInstallError({
    message: 'the bundled extension files are missing',
    code: 'extension-bundle-missing',
    location: { file: where },
    hint: 'build @forge/pi-extensions first (pnpm build)',
  });
}

function homeOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.HOME != null && env.HOME !== '' ? env.HOME : homedir();
}

function expandHome(path: string, env: Readonly<Record<string, string | undefined>>): string {
  return path === '~' || path.startsWith('~/') ? join(homeOf(env), path.slice(1)) : path;
}
