import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

/**
 * The only place tsup options live: every package's tsup.config.ts is `export default library()`.
 * Switching to tsdown later means changing this file alone.
 */
export function library(overrides: Options = {}) {
  const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    tsconfig: 'tsconfig.build.json',
    // Version from the build, never from reading package.json at run time.
    define: {
      __FORGE_PACKAGE_VERSION__: JSON.stringify(packageJson.version),
      __FORGE_PACKAGE_NAME__: JSON.stringify(packageJson.name),
    },
    ...overrides,
  });
}
