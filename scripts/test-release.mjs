#!/usr/bin/env node
// `pnpm test:release`: proves a release end to end, the way the user consumes forge.
//  1. copies the workspace (git-tracked and untracked-but-not-ignored files) to a temp folder, so the
//     real checkout is never touched, and installs it from the lockfile;
//  2. starts a real verdaccio on 127.0.0.1 (temp storage, no uplinks, a test user's token);
//  3. runs the changesets version step (`pnpm version-packages`) and the publish step (the root
//     `release` script: build + `changeset publish`, which publishes with pnpm) against it, as the
//     release job does (scripts/release.npmrc as the user config, the token in FORGE_NPM_TOKEN),
//     redirected by npm_config_@forge:registry;
//  4. checks every published tarball (version, no `workspace:`/`catalog:`, internal ranges);
//  5. in a fresh project outside the workspace, whose .npmrc maps @forge to the registry,
//     `npm install @forge/extract-pir @forge/cli`, imports the parser from ESM, require()s it from
//     CommonJS, runs `npx forge --version` and `npx forge run --demo --out <dir>`.
// The registry is stopped at the end whatever happens. Options: --keep (keep the temp folder).
import { Buffer } from 'node:buffer';
import console from 'node:console';
import process from 'node:process';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalRegistry } from './lib/local-registry.mjs';
import { findMissingRequiredPackages, findUnrewrittenRanges, listPublishablePackages } from './lib/publishable-packages.mjs';
import { runCommand } from './lib/run-command.mjs';

const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const fixturesRoot = resolve(repoRoot, '../shared/fixtures');
const keepWorkDir = process.argv.includes('--keep');
const startedAt = Date.now();

/** @type {Array<{ step: string, ok: boolean, detail: string, seconds: number }>} */
const steps = [];

// Ctrl-C or a CI timeout: exit through 'exit', whose handlers end the registry and every child.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the registry and every child process`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

/** Runs one named step; a failure is recorded and ends the test (later steps depend on it). */
async function step(name, action) {
  const stepStart = Date.now();
  console.log(`\n######## ${name}`);
  try {
    const detail = (await action()) ?? '';
    steps.push({ step: name, ok: true, detail, seconds: (Date.now() - stepStart) / 1000 });
    console.log(`---- ok: ${name}${detail ? ` (${detail})` : ''}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    steps.push({ step: name, ok: false, detail: message, seconds: (Date.now() - stepStart) / 1000 });
    throw new StepFailed(name, message);
  }
}

class StepFailed extends Error {
  constructor(stepName, message) {
    super(`${stepName}: ${message}`);
    this.stepName = stepName;
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// Child processes must never phone home (turbo telemetry) nor print npm's update notices.
const quietEnv = { TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
/** The environment of every child, without anything that could point it at the real registry. */
function childEnv(extra = {}) {
  const env = { ...process.env, ...quietEnv };
  delete env.FORGE_NPM_TOKEN;
  for (const key of Object.keys(env)) {
    if (/^npm_config_@forge:registry$/i.test(key) || /^npm_config_\/\//i.test(key) || /^npm_config_userconfig$/i.test(key)) delete env[key];
  }
  return { ...env, ...extra };
}

/** Copies the files git knows (tracked, or untracked and not ignored) from `from` to `to`. */
function copyWorkspace(from, to) {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: from, maxBuffer: 256 * 1024 * 1024 })
    .toString('utf8')
    .split('\0')
    .filter((path) => path !== '');
  let copied = 0;
  for (const relativePath of new Set(listed)) {
    const source = join(from, relativePath);
    let stats;
    try {
      stats = lstatSync(source);
    } catch {
      continue; // Tracked but deleted in the working tree: it is not part of what would be released.
    }
    const target = join(to, relativePath);
    mkdirSync(dirname(target), { recursive: true });
    if (stats.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else if (stats.isFile()) copyFileSync(source, target);
    else continue;
    copied += 1;
  }
  return copied;
}

/** Every file under `dir`, recursively, as absolute paths. */
function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** A semver core compare, enough for x.y.z (changesets only bumps those here). */
function isGreaterVersion(next, previous) {
  const parse = (version) => version.split('-')[0].split('.').map(Number);
  const [a, b] = [parse(next), parse(previous)];
  for (let index = 0; index < 3; index += 1) {
    if (a[index] !== b[index]) return a[index] > b[index];
  }
  return false;
}

const workDir = mkdtempSync(join(tmpdir(), 'forge-test-release-'));
const workspaceCopy = join(workDir, 'workspace');
const consumerDir = join(workDir, 'consumer');
const datasetDir = join(workDir, 'dataset');
let registry;
let failure;
/** @type {Map<string, { before: string, after: string, dir: string }>} */
const versions = new Map();

try {
  await step('required packages exist', () => {
    const problems = findMissingRequiredPackages(listPublishablePackages(repoRoot));
    assert(problems.length === 0, `the release is incomplete:\n  ${problems.join('\n  ')}`);
    assert(existsSync(fixturesRoot), `the shared fixtures are not at ${fixturesRoot}`);
    return `${listPublishablePackages(repoRoot).length} publishable packages`;
  });

  await step('copy the workspace to a temp folder', () => {
    mkdirSync(workspaceCopy, { recursive: true });
    const count = copyWorkspace(repoRoot, workspaceCopy);
    // changesets reads git (changelog commits) and tags what it publishes: give the copy its own history.
    const git = (...args) => execFileSync('git', ['-c', 'user.name=forge release test', '-c', 'user.email=release-test@forge.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: workspaceCopy, stdio: 'pipe' });
    git('init', '--quiet', '--initial-branch=main');
    git('add', '--all');
    git('commit', '--quiet', '--no-verify', '-m', 'release test snapshot');
    return `${count} files in ${workspaceCopy}`;
  });

  await step('install the copy from the lockfile', async () => {
    await runCommand('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], { cwd: workspaceCopy, env: childEnv() });
  });

  await step('start the private registry (verdaccio)', async () => {
    registry = await startLocalRegistry({ repoRoot, workDir: join(workDir, 'registry') });
    return `${registry.url}, log ${registry.logPath}`;
  });

  // What the release job sets: its user config (scripts/release.npmrc, here for the local registry's
  // host) with the token from FORGE_NPM_TOKEN; and, to publish elsewhere than publishConfig.registry,
  // npm_config_@forge:registry, which changesets reads first and passes on to pnpm publish → npm publish.
  const releaseConfig = join(workDir, 'release.npmrc');
  const registryEnv = () => {
    writeFileSync(releaseConfig, readFileSync(join(workspaceCopy, 'scripts', 'release.npmrc'), 'utf8').replaceAll('//npm.forge.example/', `//${registry.host}/`));
    return childEnv({ 'npm_config_@forge:registry': registry.url, NPM_CONFIG_USERCONFIG: releaseConfig, FORGE_NPM_TOKEN: registry.token });
  };

  await step('version step: pnpm version-packages', async () => {
    for (const pkg of listPublishablePackages(workspaceCopy)) versions.set(pkg.name, { before: pkg.version, after: pkg.version, dir: pkg.dir });
    // A patch for every package, so the step bumps something even when no changeset is pending.
    const frontmatter = [...versions.keys()].map((name) => `"${name}": patch`).join('\n');
    writeFileSync(join(workspaceCopy, '.changeset', 'release-test-bump.md'), `---\n${frontmatter}\n---\n\nRelease test: bump every package.\n`);
    await runCommand('pnpm', ['version-packages'], { cwd: workspaceCopy, env: childEnv() });
    const bumped = [];
    for (const [name, entry] of versions) {
      entry.after = readJson(join(entry.dir, 'package.json')).version;
      assert(isGreaterVersion(entry.after, entry.before), `${name} was not bumped (${entry.before} → ${entry.after})`);
      assert(existsSync(join(entry.dir, 'CHANGELOG.md')), `${name} has no CHANGELOG.md after the version step`);
      bumped.push(`${name} ${entry.before}→${entry.after}`);
    }
    const left = readdirSync(join(workspaceCopy, '.changeset')).filter((file) => file.endsWith('.md') && file !== 'README.md');
    assert(left.length === 0, `changesets left after the version step: ${left.join(', ')}`);
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@forge.invalid', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '-am', 'version packages'], { cwd: workspaceCopy, stdio: 'pipe' });
    return bumped.join(', ');
  });

  await step('publish step: the root `release` script', async () => {
    // The registry override is an environment variable whose name (npm_config_@forge:registry) is no
    // shell identifier: sh drops it (so do the sh shims in node_modules/.bin) and `pnpm run` renames
    // it to npm_config__forge_registry, which changesets does not read. So the committed `release`
    // script runs in two parts: what comes before `changeset publish` (the build) through a shell,
    // then changesets' own bin.js started by node, no shell between; changesets then publishes each
    // package with `pnpm publish` (it detects pnpm from packageManager), which rewrites workspace:^.
    const releaseScript = readJson(join(workspaceCopy, 'package.json')).scripts?.release ?? '';
    const parts = /^(?<before>.*?)(?:&&\s*)?changeset publish(?<flags>[^&|;]*)$/s.exec(releaseScript.trim());
    assert(parts != null, `the root "release" script (${JSON.stringify(releaseScript)}) does not end with \`changeset publish\``);
    const before = parts.groups.before.trim();
    if (before !== '') await runCommand('pnpm', ['exec', 'sh', '-c', before], { cwd: workspaceCopy, env: childEnv() });
    const flags = parts.groups.flags.trim().split(/\s+/).filter((flag) => flag !== '');
    const changesetsBin = join(workspaceCopy, 'node_modules', '@changesets', 'cli', 'bin.js');
    const { stdout, stderr } = await runCommand(process.execPath, [changesetsBin, 'publish', ...flags], { cwd: workspaceCopy, env: registryEnv() });
    const output = `${stdout}\n${stderr}`;
    for (const [name, { after }] of versions) {
      assert(output.includes(`${name}@${after}`), `changeset publish did not report ${name}@${after}`);
    }
    assert(!/packages failed to publish/i.test(output), 'changeset publish reported failures');
  });

  await step('published tarballs are complete and rewritten', async () => {
    const tarballDir = join(workDir, 'tarballs');
    mkdirSync(tarballDir, { recursive: true });
    for (const [name, { after }] of versions) {
      const response = await globalThis.fetch(`${registry.url}${name.replace('/', '%2f')}`);
      assert(response.ok, `${name}: the registry answers ${response.status}`);
      const packument = await response.json();
      const published = packument.versions?.[after];
      assert(published != null, `${name}@${after} is not on the registry (has: ${Object.keys(packument.versions ?? {}).join(', ')})`);
      assert(packument['dist-tags']?.latest === after, `${name}: dist-tag latest is ${packument['dist-tags']?.latest}, expected ${after}`);
      const tarball = await globalThis.fetch(published.dist.tarball.replace(/^https?:\/\/[^/]+\//, registry.url));
      assert(tarball.ok, `${name}: tarball download answers ${tarball.status}`);
      const tarballPath = join(tarballDir, `${name.replace('/', '-')}-${after}.tgz`);
      writeFileSync(tarballPath, Buffer.from(await tarball.arrayBuffer()));
      const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarballPath, 'package/package.json'], { encoding: 'utf8' }));
      const leftovers = findUnrewrittenRanges(manifest);
      assert(leftovers.length === 0, `${name}: the published package.json still has ${leftovers.join(', ')}`);
      assert(manifest.version === after, `${name}: tarball version ${manifest.version}, expected ${after}`);
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
        const internal = versions.get(dependency);
        if (internal != null) assert(range === `^${internal.after}`, `${name}: dependency ${dependency} is ${range}, expected ^${internal.after}`);
      }
      const files = new Set(execFileSync('tar', ['-tzf', tarballPath], { encoding: 'utf8' }).split('\n'));
      for (const entry of [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {})].filter((value) => value != null)) {
        const inTarball = `package/${entry.replace(/^\.\//, '')}`;
        assert(files.has(inTarball), `${name}: ${entry} is named in package.json but not in the tarball`);
      }
      // Every file of a folder listed in "files" ships (the CLI's demo corpus lives in dot-folders).
      for (const folder of manifest.files ?? []) {
        const folderPath = join(versions.get(name).dir, folder);
        if (!existsSync(folderPath) || !statSync(folderPath).isDirectory()) continue;
        const missing = listFiles(folderPath)
          .map((path) => `package/${path.slice(versions.get(name).dir.length + 1)}`)
          .filter((path) => !files.has(path));
        assert(missing.length === 0, `${name}: ${missing.length} file(s) of ${folder}/ are not in the tarball, e.g. ${missing.slice(0, 3).join(', ')}`);
      }
    }
    return `${versions.size} tarballs`;
  });

  const cliVersion = () => versions.get('@forge/cli').after;

  await step('consumer: npm install @forge/extract-pir @forge/cli from the private registry', async () => {
    mkdirSync(consumerDir, { recursive: true });
    writeFileSync(join(consumerDir, 'package.json'), `${JSON.stringify({ name: 'forge-release-consumer', version: '1.0.0', private: true }, null, 2)}\n`);
    // The two lines every package README documents, with this registry's address.
    writeFileSync(join(consumerDir, '.npmrc'), `@forge:registry=${registry.url}\n//${registry.host}/:_authToken=\${FORGE_NPM_TOKEN}\n`);
    await runCommand('npm', ['install', '@forge/extract-pir', '@forge/cli', '--no-audit', '--no-fund', '--prefer-online'], {
      cwd: consumerDir,
      // better-sqlite3: compile (as the workspace install does) rather than fetch a prebuilt binary from GitHub.
      env: childEnv({ FORGE_NPM_TOKEN: registry.token, npm_config_build_from_source: 'true' }),
      timeoutMs: 900_000,
    });
    const lock = readJson(join(consumerDir, 'package-lock.json'));
    const forgeEntries = Object.entries(lock.packages ?? {}).filter(([path]) => path.startsWith('node_modules/@forge/'));
    for (const [path, entry] of forgeEntries) {
      assert(typeof entry.resolved !== 'string' || entry.resolved.startsWith(registry.url), `${path} came from ${entry.resolved}, not the private registry`);
      const expected = versions.get(path.slice('node_modules/'.length))?.after;
      assert(expected == null || entry.version === expected, `${path} is ${entry.version}, expected ${expected}`);
    }
    assert(forgeEntries.length >= 2, 'the lockfile lists no @forge packages');
    return forgeEntries.map(([path, entry]) => `${path.slice('node_modules/'.length)}@${entry.version}`).join(', ');
  });

  const fixtureDir = join(fixturesRoot, 'real', 'pi', '.pi', 'agent', 'sessions');
  const fixture = () => {
    const files = listFiles(fixtureDir).filter((path) => path.endsWith('.jsonl') && statSync(path).size > 0);
    assert(files.length > 0, `no pi session fixture under ${fixtureDir}`);
    return files.sort()[0];
  };
  // Both entry styles print the same facts, so the test compares them with each other as well.
  const sessionReport = (sessionsName) =>
    `JSON.stringify(${sessionsName}.map((session) => ({ id: session.id, source: session.source, messages: session.messages.length })))`;

  let esmReport = '';
  await step('consumer: import { readPiSession } from an ES module', async () => {
    const fixturePath = fixture();
    writeFileSync(
      join(consumerDir, 'read-session.mjs'),
      [
        "import { readPiSession } from '@forge/extract-pir';",
        'const sessions = await readPiSession(process.argv[2]);',
        "if (sessions.length === 0 || sessions[0].messages.length === 0) throw new Error('readPiSession returned no messages');",
        `console.log(${sessionReport('sessions')});`,
        '',
      ].join('\n'),
    );
    const { stdout } = await runCommand('node', ['read-session.mjs', fixturePath], { cwd: consumerDir, env: childEnv() });
    esmReport = stdout.trim().split('\n').at(-1);
    const sessions = JSON.parse(esmReport);
    assert(sessions.length > 0 && sessions.every((session) => session.messages > 0), `unexpected result ${esmReport}`);
    return `${sessions.length} session(s), ${sessions[0].messages} messages, from ${fixturePath.slice(fixturesRoot.length + 1)}`;
  });

  await step('consumer: require(@forge/extract-pir) from a CommonJS file', async () => {
    writeFileSync(
      join(consumerDir, 'read-session.cjs'),
      [
        "'use strict';",
        '// Node 20.19+ loads an ES module through require() when its graph has no top-level await.',
        "const { readPiSession } = require('@forge/extract-pir');",
        "if (typeof readPiSession !== 'function') throw new Error('require() did not expose readPiSession');",
        'readPiSession(process.argv[2]).then((sessions) => {',
        `  console.log(${sessionReport('sessions')});`,
        '});',
        '',
      ].join('\n'),
    );
    const { stdout } = await runCommand('node', ['read-session.cjs', fixture()], { cwd: consumerDir, env: childEnv() });
    const cjsReport = stdout.trim().split('\n').at(-1);
    assert(cjsReport === esmReport, `require() and import read different sessions:\n  cjs ${cjsReport}\n  esm ${esmReport}`);
  });

  await step('consumer: npx forge --version', async () => {
    const { stdout } = await runCommand('npx', ['--no', '--', 'forge', '--version'], { cwd: consumerDir, env: childEnv() });
    assert(stdout.includes(cliVersion()), `forge --version printed ${JSON.stringify(stdout.trim())}, expected ${cliVersion()}`);
    return stdout.trim();
  });

  await step('consumer: npx forge run --demo --out <dir>', async () => {
    const home = join(workDir, 'home');
    mkdirSync(home, { recursive: true });
    const { code } = await runCommand('npx', ['--no', '--', 'forge', 'run', '--demo', '--out', datasetDir], {
      cwd: consumerDir,
      // Its own HOME and cache, so the state cache never lands in the real home.
      env: childEnv({ HOME: home, XDG_CACHE_HOME: join(home, '.cache') }),
      allowFailure: true,
    });
    assert(code === 0 || code === 3, `forge run --demo exited with ${code} (0 = ok, 3 = done with warnings)`);
    const manifestPath = join(datasetDir, 'manifest.json');
    assert(existsSync(manifestPath), `no manifest.json in ${datasetDir}`);
    const manifest = readJson(manifestPath);
    assert(manifest.forgeVersion === cliVersion(), `manifest.forgeVersion is ${manifest.forgeVersion}, expected ${cliVersion()}`);
    assert(manifest.counts?.sessions > 0, `the demo produced no sessions: ${JSON.stringify(manifest.counts)}`);
    const trainFiles = readdirSync(datasetDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(datasetDir, entry.name, 'train.jsonl'))
      .filter((path) => existsSync(path) && statSync(path).size > 0);
    assert(trainFiles.length > 0, `no non-empty <format>/train.jsonl in ${datasetDir}: ${readdirSync(datasetDir).join(', ')}`);
    for (const path of trainFiles) JSON.parse(readFileSync(path, 'utf8').split('\n')[0]);
    return `${manifest.counts.sessions} sessions; ${readdirSync(datasetDir).sort().join(', ')}; exit ${code}`;
  });
} catch (error) {
  failure = error;
  if (!(error instanceof StepFailed)) steps.push({ step: '(script)', ok: false, detail: error?.stack ?? String(error), seconds: 0 });
} finally {
  if (registry != null) {
    await registry.stop();
    console.log(`\nregistry stopped (${registry.url})`);
  }
  if (keepWorkDir || failure != null) console.log(`temp folder kept for inspection: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

console.log('\n======== test:release summary');
for (const { step: name, ok, detail, seconds } of steps) {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}  [${seconds.toFixed(1)} s]${ok ? '' : `\n      ${detail.split('\n').join('\n      ')}`}`);
}
const total = ((Date.now() - startedAt) / 1000).toFixed(0);
if (failure == null) {
  console.log(`\nPASS: released ${[...versions].map(([name, { after }]) => `${name}@${after}`).join(', ')} to a private registry and consumed them (${total} s)`);
} else {
  console.log(`\nFAIL: ${failure.message.split('\n')[0]} (${total} s)`);
  process.exitCode = 1;
}
