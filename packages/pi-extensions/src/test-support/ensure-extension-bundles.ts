import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { extensionFileNames } from '../install-extensions.js';

const packageRoot = join(import.meta.dirname, '..', '..');

/**
 * The real-program tests load the bundles users install (`dist/extensions/*.js`). They are
 * rebuilt with this package's own tsup build when missing or older than any source file, so a
 * test never runs stale code.
 */
export async function ensureExtensionBundles(): Promise<void> {
  const sources = await readdir(join(packageRoot, 'src'), { recursive: true });
  const newestSource = Math.max(...(await Promise.all(sources.filter((name) => name.endsWith('.ts')).map(async (name) => (await stat(join(packageRoot, 'src', name))).mtimeMs))));
  const bundleTimes = await Promise.all(extensionFileNames.map((name) => stat(join(packageRoot, 'dist', 'extensions', name)).then((info) => info.mtimeMs, () => 0)));
  if (Math.min(...bundleTimes) > newestSource) return;
  const tsup = createRequire(join(packageRoot, 'package.json')).resolve('tsup/dist/cli-default.js');
  await promisify(execFile)(process.execPath, [tsup], { cwd: packageRoot });
}
