import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests resolve workspace packages to their TypeScript sources through this export condition,
// so they never depend on a stale dist/.
const conditions = ['@forge/source', 'node', 'import', 'module', 'default'];

const projectRoots = ['packages', 'apps', 'tooling'].flatMap((folder) =>
  readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, 'package.json')))
    .map((entry) => join(folder, entry.name)),
);

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: projectRoots.map((root) => ({
      extends: true,
      test: {
        name: root.split('/').pop(),
        root,
        include: ['src/**/*.test.ts', '*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 60_000,
        hookTimeout: 600_000,
      },
    })),
  },
});
