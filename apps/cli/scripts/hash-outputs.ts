// Hashes what the built `forge` binary writes for fixed inputs, so a refactoring can prove its
// outputs byte-identical: `pnpm --filter @forge/cli hash-outputs` compares with the committed
// output-hashes.json and lists every output that changed; `-- --write` records the current hashes.
// Inputs: the demo corpus, a home folder made of ../shared/fixtures/real/*/, and the e2e test's
// fixture home (real files, hand-written pir and Claude fixtures, planted secrets). Everything runs
// under one fixed folder, so paths inside the outputs are the same on every run.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { createFixtureHome } from '../src/test-support/fixture-home.ts';

const packageRoot = join(import.meta.dirname, '..');
const hashesFile = join(import.meta.dirname, 'output-hashes.json');
const workFolder = join(tmpdir(), 'forge-output-hashes');
const write = process.argv.includes('--write');

const repoRoot = join(packageRoot, '..', '..');
// The demo's input paths name this checkout: hash them as <repo> so any checkout gives the same hashes.
const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes.toString().replaceAll(repoRoot, '<repo>')).digest('hex');

function forge(home: string, args: string[]): { status: number; stdout: string } {
  const result = spawnSync(process.execPath, [join(packageRoot, 'bin', 'forge.js'), ...args], {
    cwd: home,
    env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, '.cache') },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0 && result.status !== 3) throw new Error(`forge ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return { status: result.status, stdout: result.stdout };
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

/** The corpora, each a home folder at a fixed path. */
function prepareHomes(): Record<string, string> {
  rmSync(workFolder, { recursive: true, force: true });
  mkdirSync(workFolder, { recursive: true });
  const real = join(workFolder, 'real');
  for (const entry of readdirSync(join(sharedFixturesRoot, 'real'), { withFileTypes: true })) {
    if (entry.isDirectory()) cpSync(join(sharedFixturesRoot, 'real', entry.name), real, { recursive: true });
  }
  const e2e = join(workFolder, 'e2e');
  const created = createFixtureHome();
  cpSync(created, e2e, { recursive: true });
  rmSync(created, { recursive: true, force: true });
  const demo = join(workFolder, 'demo');
  mkdirSync(demo);
  return { demo, real, e2e };
}

function collect(): Record<string, string> {
  const hashes: Record<string, string> = {};
  const record = (name: string, { status, stdout }: { status: number; stdout: string }) => {
    hashes[name] = `exit ${status} ${sha256(stdout)}`;
  };
  for (const [corpus, home] of Object.entries(prepareHomes())) {
    const source = corpus === 'demo' ? ['--demo'] : [];
    // Cold, then into a second folder from the state cache: both must give the same files.
    for (const out of ['dataset', 'dataset-from-cache']) {
      record(`${corpus}: run ${out}`, forge(home, ['run', ...source, '--out', join(home, out), '--quiet']));
      for (const file of filesUnder(join(home, out))) hashes[`${corpus}: run ${out}/${file}`] = sha256(readFileSync(join(home, out, file)));
    }
    if (corpus === 'demo') continue;
    record(`${corpus}: extract`, forge(home, ['extract', '--quiet']));
    record(`${corpus}: stats --json`, forge(home, ['stats', '--json', '--quiet']));
    record(`${corpus}: stats`, forge(home, ['stats', '--quiet']));
    const sessionFiles = filesUnder(home).filter((file) => file.endsWith('.jsonl') && !file.includes('dataset'));
    // A few files of each program: the first and the last of each top folder.
    const picked = [...new Set(['.claude', '.pi', '.omp'].flatMap((top) => {
      const files = sessionFiles.filter((file) => file.startsWith(`${top}/`));
      return files.length === 0 ? [] : [files[0]!, files.at(-1)!];
    }))];
    for (const file of picked) {
      for (const format of ['sharegpt', 'openai', 'messages']) record(`${corpus}: export ${file} --format ${format}`, forge(home, ['export', file, '--format', format, '--quiet']));
      record(`${corpus}: inspect ${file} --json`, forge(home, ['inspect', file, '--json']));
    }
  }
  return hashes;
}

execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@forge/cli...', '--output-logs=errors-only'], { cwd: repoRoot, stdio: 'inherit' });
const hashes = collect();
if (write) {
  writeFileSync(hashesFile, `${JSON.stringify(hashes, null, 2)}\n`);
  console.log(`wrote ${Object.keys(hashes).length} hashes to ${hashesFile}`);
} else {
  const expected = existsSync(hashesFile) ? (JSON.parse(readFileSync(hashesFile, 'utf8')) as Record<string, string>) : {};
  const names = [...new Set([...Object.keys(expected), ...Object.keys(hashes)])].sort();
  const changed = names.filter((name) => expected[name] !== hashes[name]);
  for (const name of changed) console.log(`${expected[name] == null ? 'new     ' : hashes[name] == null ? 'missing ' : 'changed '} ${name}`);
  console.log(`${names.length - changed.length} of ${names.length} outputs identical; outputs kept in ${workFolder}`);
  // Keep this run's outputs beside the folder for a diff with the next one.
  if (changed.length > 0) renameSync(workFolder, `${workFolder}-${Date.now()}`);
  process.exitCode = changed.length === 0 ? 0 : 1;
}
