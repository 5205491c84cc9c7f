// Which workspace packages forge publishes. Read from the workspace so a new package is checked
// without editing a list; the required set makes a missing (not yet written) package fail loudly.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Folders that hold publishable packages (tooling/* is internal). */
const publishableRoots = ['packages', 'apps'];

/** The packages a release must contain: the consumer test installs @forge/extract-pir and @forge/cli. */
export const requiredPackageNames = [
  '@forge/schema',
  '@forge/reader-kit',
  '@forge/extract-pir',
  '@forge/extract-claude',
  '@forge/transform',
  '@forge/state',
  '@forge/cli',
];

/**
 * Every non-private package under packages/* and apps/* of `repoRoot`.
 * @param {string} repoRoot
 * @returns {Array<{ name: string, version: string, dir: string, relativeDir: string, manifest: Record<string, any> }>}
 */
export function listPublishablePackages(repoRoot) {
  const found = [];
  for (const root of publishableRoots) {
    const rootDir = join(repoRoot, root);
    if (!existsSync(rootDir)) continue;
    for (const entry of readdirSync(rootDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const manifestPath = join(rootDir, entry.name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (manifest.private === true) continue;
      found.push({
        name: manifest.name,
        version: manifest.version,
        dir: join(rootDir, entry.name),
        relativeDir: `${root}/${entry.name}`,
        manifest,
      });
    }
  }
  return found.sort((left, right) => left.name.localeCompare(right.name));
}

/**
 * The required packages that are absent or have no source entry yet, with the reason for each.
 * @param {ReturnType<typeof listPublishablePackages>} packages
 * @returns {string[]}
 */
export function findMissingRequiredPackages(packages) {
  const problems = [];
  for (const name of requiredPackageNames) {
    const found = packages.find((candidate) => candidate.name === name);
    if (found == null) {
      problems.push(`${name}: no publishable package.json with this name under packages/* or apps/*`);
    } else if (!existsSync(join(found.dir, 'src', 'index.ts'))) {
      problems.push(`${name}: ${found.relativeDir}/src/index.ts does not exist yet`);
    }
  }
  return problems;
}

/**
 * Problems with the publish metadata STYLE.md §4.1 asks of every package.
 * @param {{ name: string, manifest: Record<string, any> }} pkg
 * @returns {string[]}
 */
export function checkPublishConfig(pkg) {
  const problems = [];
  const publishConfig = pkg.manifest.publishConfig ?? {};
  if (typeof publishConfig.registry !== 'string' || publishConfig.registry === '') {
    problems.push('publishConfig.registry is missing (changesets would query npmjs instead of the private registry)');
  }
  if (publishConfig.access !== 'restricted') {
    problems.push('publishConfig.access must be "restricted" (a misconfigured job must never make @forge/* public)');
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dependency, range] of Object.entries(pkg.manifest[field] ?? {})) {
      if (dependency.startsWith('@forge/') && range !== 'workspace:^') {
        problems.push(`${field}.${dependency} is ${JSON.stringify(range)}; internal dependencies are "workspace:^"`);
      }
    }
  }
  return problems;
}

/**
 * Every `workspace:` or `catalog:` range left in a packed manifest (pnpm publish must rewrite them).
 * @param {Record<string, any>} manifest
 * @returns {string[]}
 */
export function findUnrewrittenRanges(manifest) {
  const leftovers = [];
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      if (typeof range === 'string' && /^(workspace|catalog):/.test(range)) {
        leftovers.push(`${field}.${dependency}: ${range}`);
      }
    }
  }
  // Anything else (e.g. a range hidden in another field) still must not ship.
  const text = JSON.stringify(manifest);
  if (leftovers.length === 0 && /"(workspace|catalog):/.test(text)) leftovers.push('a "workspace:" or "catalog:" value');
  return leftovers;
}
