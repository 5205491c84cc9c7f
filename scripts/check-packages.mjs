#!/usr/bin/env node
// `pnpm check:packages`: packs every publishable package the way `pnpm publish` does and checks the
// tarball with publint --strict and @arethetypeswrong/cli (ESM only; node16 and bundler types must
// resolve), plus the publish metadata and the rewriting of workspace:/catalog: ranges.
// Options: --no-build (dist/ is already current), --keep (leave the packed tarballs for inspection).
import console from 'node:console';
import process from 'node:process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkPublishConfig,
  findMissingRequiredPackages,
  findUnrewrittenRanges,
  listPublishablePackages,
} from './lib/publishable-packages.mjs';
import { runCommand } from './lib/run-command.mjs';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const binDir = join(repoRoot, 'node_modules', '.bin');
const shouldBuild = !process.argv.includes('--no-build');
const keepTarballs = process.argv.includes('--keep');

const packages = listPublishablePackages(repoRoot);
/** @type {Array<{ name: string, check: string, ok: boolean, detail?: string }>} */
const results = [];
const record = (name, check, ok, detail) => results.push({ name, check, ok, detail });

for (const problem of findMissingRequiredPackages(packages)) record('(workspace)', 'required package', false, problem);

const packDir = mkdtempSync(join(tmpdir(), 'forge-check-packages-'));
try {
  if (shouldBuild) {
    await runCommand('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=./packages/*', '--filter=./apps/*'], { cwd: repoRoot });
  }
  for (const pkg of packages) {
    console.log(`\n=== ${pkg.name} (${pkg.relativeDir})`);
    const metadataProblems = checkPublishConfig(pkg);
    record(pkg.name, 'publishConfig', metadataProblems.length === 0, metadataProblems.join('; '));

    for (const entry of [pkg.manifest.main, pkg.manifest.types].filter((value) => value != null)) {
      if (!existsSync(join(pkg.dir, entry))) record(pkg.name, 'built', false, `${entry} does not exist: the build did not produce it`);
    }

    // pnpm pack is what pnpm publish uploads: same file list, same workspace:/catalog: rewriting.
    const destination = join(packDir, pkg.relativeDir.replace('/', '-'));
    const packed = await runCommand('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.dir, quiet: true, allowFailure: true });
    const tarballName = existsSync(destination) ? readdirSync(destination).find((file) => file.endsWith('.tgz')) : undefined;
    if (packed.code !== 0 || tarballName == null) {
      record(pkg.name, 'pack', false, (packed.stderr || packed.stdout).trim().split('\n').slice(-5).join('\n'));
      continue;
    }
    const tarball = join(destination, tarballName);
    const packedManifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    const leftovers = findUnrewrittenRanges(packedManifest);
    record(pkg.name, 'no workspace:/catalog:', leftovers.length === 0, leftovers.join('; '));

    const publint = await runCommand(join(binDir, 'publint'), ['run', tarball, '--strict'], { cwd: pkg.dir, allowFailure: true });
    record(pkg.name, 'publint --strict', publint.code === 0, 'see the publint output above');

    const attw = await runCommand(join(binDir, 'attw'), [tarball, '--profile', 'esm-only', '--format', 'table', '--no-color'], {
      cwd: pkg.dir,
      allowFailure: true,
    });
    record(pkg.name, 'attw (esm-only)', attw.code === 0, 'see the attw output above');
  }
} catch (error) {
  record('(script)', 'run', false, error instanceof Error ? error.message : String(error));
} finally {
  if (keepTarballs) console.log(`\nTarballs kept in ${packDir}`);
  else rmSync(packDir, { recursive: true, force: true });
}

const failures = results.filter((result) => !result.ok);
console.log('\n=== check:packages summary');
for (const pkg of packages) {
  const own = results.filter((result) => result.name === pkg.name);
  const status = own.every((result) => result.ok) ? 'PASS' : 'FAIL';
  console.log(`${status}  ${pkg.name}@${pkg.version}  (${own.map((result) => `${result.check} ${result.ok ? 'ok' : 'FAILED'}`).join(', ')})`);
}
for (const failure of failures) console.log(`FAIL  ${failure.name}: ${failure.check}${failure.detail ? ` — ${failure.detail}` : ''}`);
console.log(failures.length === 0 ? `\nPASS: ${packages.length} packages checked` : `\nFAIL: ${failures.length} problem(s)`);
process.exitCode = failures.length === 0 ? 0 : 1;
