// pnpm bench:stats (in apps/cli): `forge stats --source claude --json` (default jobs: the available
// cores, and --jobs 1) against ccusage 20.0.24 on a generated ≥ 500 MB Claude Code corpus, each in a
// fresh process, next to the raw floor (read + split + JSON.parse of the same files, one thread)
// measured in the same run, and the token totals of both compared. Wall and CPU (user + sys) are
// both reported: on a shared machine CPU is the steadier figure. Not a test: nothing here asserts a
// timing. FORGE_BENCH_HOME=<folder> keeps the generated corpus there and reuses it next time.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { generateCorpus } from './generate-corpus.ts';

const packageRoot = join(import.meta.dirname, '..');
const targetBytes = Number(process.env.FORGE_BENCH_BYTES ?? 520 * 1024 * 1024);
const runs = Number(process.env.FORGE_BENCH_RUNS ?? 3);
const keptHome = process.env.FORGE_BENCH_HOME;
const workFolder = mkdtempSync(join(tmpdir(), 'forge-stats-bench-'));
const megabytes = (bytes: number) => bytes / 1024 / 1024;
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

/** ccusage's entry as `npx ccusage` runs it: it starts the native binary of this platform (`@ccusage/ccusage-linux-x64`). */
function ccusageEntry(): string {
  return join(createRequire(import.meta.url).resolve('ccusage/package.json'), '..', 'src', 'cli.js');
}

/**
 * A Claude Code config dir of templates: the hand-written fixtures, the public samples and the demo
 * home's sessions. Left out: the rewind sample (03eb5929…), whose abandoned branch ccusage counts
 * and a Session (one trajectory) does not (packages/extract-claude README, "Agreement with
 * ccusage"), so the totals could not be compared.
 */
function templateHome(): string {
  const projects = join(workFolder, 'templates', '.claude', 'projects');
  mkdirSync(projects, { recursive: true });
  const claude = join(sharedFixturesRoot, 'claude');
  const folders = [
    ...readdirSync(join(claude, 'projects')).map((name) => join(claude, 'projects', name)),
    ...['claude-code-log', 'claude-code-viewer'].flatMap((source) => readdirSync(join(claude, 'samples', source)).map((name) => join(claude, 'samples', source, name))),
    ...readdirSync(join(packageRoot, 'demo', 'home', '.claude', 'projects')).map((name) => join(packageRoot, 'demo', 'home', '.claude', 'projects', name)),
  ];
  for (const folder of folders) {
    cpSync(folder, join(projects, folder.split('/').at(-1)!), { recursive: true, filter: (path) => !path.includes('03eb5929-52b3-4b13-ada3-b93ae35806b8') });
  }
  return join(workFolder, 'templates');
}

interface Measured {
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
  stdout: string;
}

/** One command in a fresh process under GNU time: wall seconds, CPU seconds, peak RSS, stdout. */
function timed(command: string[], env: Record<string, string>): Measured {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', 'maxrss_kib=%M cpu=%U+%S', ...command], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', maxBuffer: 1024 ** 3 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && result.status !== 3) throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr}`);
  const cpu = /cpu=([\d.]+)\+([\d.]+)/u.exec(result.stderr);
  return { seconds, cpuSeconds: Number(cpu?.[1]) + Number(cpu?.[2]), peakMb: Number(/maxrss_kib=(\d+)/u.exec(result.stderr)?.[1]) / 1024, stdout: result.stdout };
}

interface Totals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

function ccusageTotals(stdout: string): Totals {
  const parsed = JSON.parse(stdout) as { session: Array<{ inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheCreationTokens: number }> };
  const totals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const session of parsed.session) {
    totals.input += session.inputTokens;
    totals.output += session.outputTokens;
    totals.cacheRead += session.cacheReadTokens;
    totals.cacheWrite += session.cacheCreationTokens;
  }
  return totals;
}

function forgeTotals(stdout: string): Totals {
  const totals = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const { usage } = JSON.parse(line) as { usage: Totals };
    totals.input += usage.input;
    totals.output += usage.output;
    totals.cacheRead += usage.cacheRead;
    totals.cacheWrite += usage.cacheWrite;
  }
  return totals;
}

const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)]!;

try {
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@forge/cli...', '--output-logs=errors-only'], { cwd: join(packageRoot, '..', '..'), stdio: 'inherit' });
  const home = keptHome ?? join(workFolder, 'home');
  const corpus = keptHome !== undefined && existsSync(join(keptHome, 'corpus.json'))
    ? (JSON.parse(readFileSync(join(keptHome, 'corpus.json'), 'utf8')) as { files: number; bytes: number })
    : generateCorpus({ templateHome: templateHome(), home, targetBytes });
  if (keptHome !== undefined) writeFileSync(join(keptHome, 'corpus.json'), JSON.stringify(corpus));
  const configDir = join(home, '.claude');
  console.log(`corpus: ${corpus.files} Claude Code files, ${megabytes(corpus.bytes).toFixed(0)} MB; medians of ${runs} fresh processes each`);
  const env = { HOME: home, CLAUDE_CONFIG_DIR: configDir };
  const commands: Array<[string, string[]]> = [
    ['raw floor (1 thread)', [process.execPath, join(import.meta.dirname, 'raw-floor.mjs'), configDir]],
    ['ccusage 20.0.24', [process.execPath, ccusageEntry(), 'session', '--json', '--offline']],
    ['forge stats (usage path)', [process.execPath, join(packageRoot, 'bin', 'forge.js'), 'stats', '--source', 'claude', '--json', '--quiet']],
    ['forge stats --jobs 1', [process.execPath, join(packageRoot, 'bin', 'forge.js'), 'stats', '--source', 'claude', '--json', '--quiet', '--jobs', '1']],
    ['forge stats --whole-sessions', [process.execPath, join(packageRoot, 'bin', 'forge.js'), 'stats', '--source', 'claude', '--json', '--quiet', '--whole-sessions']],
  ];
  const results = new Map<string, Measured[]>();
  for (let run = 0; run < runs; run += 1) {
    for (const [label, command] of commands) {
      const measured = timed(command, env);
      results.set(label, [...(results.get(label) ?? []), measured]);
      console.log(`  run ${run + 1} ${label.padEnd(30)} ${measured.seconds.toFixed(2).padStart(6)} s  load ${load()}`);
    }
  }
  const seconds = (label: string) => median(results.get(label)!.map((measured) => measured.seconds));
  const floor = seconds('raw floor (1 thread)');
  const ccusage = seconds('ccusage 20.0.24');
  const cpu = (label: string) => median(results.get(label)!.map((measured) => measured.cpuSeconds));
  const ccusageCpu = cpu('ccusage 20.0.24');
  console.log(`\n| ${megabytes(corpus.bytes).toFixed(0)} MB, ${corpus.files} files | wall (median) | × ccusage | × floor | CPU | CPU × ccusage | peak RSS |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
  for (const [label] of commands) {
    const wall = seconds(label);
    console.log(`| ${label} | ${wall.toFixed(2)} s | ${(wall / ccusage).toFixed(2)} | ${(wall / floor).toFixed(2)} | ${cpu(label).toFixed(2)} s | ${(cpu(label) / ccusageCpu).toFixed(2)} | ${median(results.get(label)!.map((entry) => entry.peakMb)).toFixed(0)} MB |`);
  }
  const theirs = ccusageTotals(results.get('ccusage 20.0.24')![0]!.stdout);
  const ours = forgeTotals(results.get('forge stats (usage path)')![0]!.stdout);
  const whole = results.get('forge stats --whole-sessions')![0]!.stdout;
  console.log(`\ntokens, ccusage: ${JSON.stringify(theirs)}\ntokens, forge:   ${JSON.stringify(ours)}`);
  console.log(JSON.stringify(theirs) === JSON.stringify(ours) ? 'totals equal' : 'TOTALS DIFFER');
  console.log(whole === results.get('forge stats (usage path)')![0]!.stdout ? 'usage path output = whole-Session output, byte for byte' : 'USAGE PATH OUTPUT DIFFERS FROM THE WHOLE-SESSION OUTPUT');
  console.log(results.get('forge stats --jobs 1')![0]!.stdout === results.get('forge stats (usage path)')![0]!.stdout ? `--jobs 1 output = default (--jobs ${availableParallelism()}) output, byte for byte` : '--JOBS 1 OUTPUT DIFFERS');
  console.log(`load average at the end ${load()}`);
} finally {
  rmSync(workFolder, { recursive: true, force: true });
}
