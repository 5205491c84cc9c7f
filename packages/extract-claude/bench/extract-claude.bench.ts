// pnpm bench: generates a ≥ 1 GiB Claude Code corpus from the real samples (fresh ids in every
// copy) plus one single 1 GiB session file, then measures, each in its own process (so peak RSS is
// its own): the floor (read + split + JSON.parse), extraction on one core, with 2 workers, and
// `ccusage session --json --offline`. The corpus is deleted at the end.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, writeSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type extractClaudeSessions as extractClaudeSessionsFromSource, type streamClaudeSession as streamClaudeSessionFromSource } from '../src/index.js';

// The fixture roots and the agent installer are loaded by the parent only (see main): a measured
// child loads nothing but the built package, so its peak RSS is the reader's, not the harness's.
let samplesRoot = '';
let handWrittenRoot = '';

// `pnpm bench -- --size-mb 50` for a quick dry run; the default is the 1 GiB the targets are set for.
const sizeIndex = process.argv.indexOf('--size-mb');
const targetBytes = sizeIndex === -1 ? 1024 * 1024 * 1024 : Number(process.argv[sizeIndex + 1]) * 1024 * 1024;
// `--modes single,stream` runs only those modes (floor always runs: it is the reference).
const modesIndex = process.argv.indexOf('--modes');
const modes = new Set((modesIndex === -1 ? 'single,workers,stream,ccusage' : (process.argv[modesIndex + 1] ?? '')).split(','));
const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gu;
const idPattern = /(?:msg_01|toolu_01|req_011C)[A-Za-z0-9]{18,26}/gu;
const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function freshId(like: string): string {
  const prefix = like.startsWith('req_') ? 'req_011C' : like.slice(0, like.indexOf('_') + 3);
  let id = prefix;
  while (id.length < like.length) id += base62[Math.floor(Math.random() * base62.length)];
  return id;
}

/** Rewrites every uuid, message, request and tool id of a copy consistently (one map per copy). */
function remapper(agentIds: readonly string[]): { line: (text: string) => string; uuid: (value: string) => string; agent: (value: string) => string } {
  const map = new Map<string, string>();
  const agents = new Map(agentIds.map((id) => [id, Array.from({ length: id.length }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('')]));
  const uuid = (value: string): string => {
    let fresh = map.get(value);
    if (fresh == null) map.set(value, (fresh = randomUUID()));
    return fresh;
  };
  const id = (value: string): string => {
    let fresh = map.get(value);
    if (fresh == null) map.set(value, (fresh = freshId(value)));
    return fresh;
  };
  const agentPattern = agentIds.length === 0 ? undefined : new RegExp(agentIds.join('|'), 'gu');
  return {
    line: (text) => {
      let out = text.replace(uuidPattern, uuid).replace(idPattern, id);
      if (agentPattern != null) out = out.replace(agentPattern, (value) => agents.get(value) ?? value);
      return out;
    },
    uuid,
    agent: (value) => agents.get(value) ?? value,
  };
}

/** The built package's API, typed from the sources. */
interface BuiltPackage {
  extractClaudeSessions: typeof extractClaudeSessionsFromSource;
  streamClaudeSession: typeof streamClaudeSessionFromSource;
}

interface Template {
  /** Path relative to its project folder. */
  relativePath: string;
  lines: string[];
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/** Every sample and hand-written project, as templates grouped by project folder. */
function loadProjects(): Template[][] {
  const projectFolders = [
    ...['claude-code-log', 'claude-code-viewer'].flatMap((source) => readdirSync(join(samplesRoot, source)).map((name) => join(samplesRoot, source, name))),
    ...readdirSync(join(handWrittenRoot, 'projects')).map((name) => join(handWrittenRoot, 'projects', name)),
  ];
  return projectFolders.map((folder) =>
    listFiles(folder)
      .filter((path) => path.endsWith('.jsonl') || path.endsWith('.meta.json'))
      .map((path) => ({ relativePath: relative(folder, path), lines: readFileSync(path, 'utf8').split('\n').filter((line) => line !== '') })),
  );
}

/** Copies of every project with fresh ids until the corpus holds `targetBytes`. */
function generateCorpus(root: string, targetBytes: number): { bytes: number; files: number } {
  const projects = loadProjects();
  let bytes = 0;
  let files = 0;
  for (let copy = 0; bytes < targetBytes; copy += 1) {
    for (const [index, project] of projects.entries()) {
      const agentIds = project.flatMap((template) => /agent-([0-9a-z]+)\.(?:jsonl|meta\.json)$/u.exec(template.relativePath)?.[1] ?? []);
      const remap = remapper(agentIds);
      const projectDir = join(root, 'projects', `-bench-copy-${copy}-project-${index}`);
      for (const template of project) {
        const path = join(projectDir, template.relativePath.replace(uuidPattern, remap.uuid).replace(/agent-([0-9a-z]+)/u, (_match, id: string) => `agent-${remap.agent(id)}`));
        mkdirSync(dirname(path), { recursive: true });
        const text = template.lines.map(remap.line).join('\n') + '\n';
        const handle = openSync(path, 'w');
        writeSync(handle, text);
        closeSync(handle);
        bytes += Buffer.byteLength(text);
        files += 1;
      }
    }
  }
  return { bytes, files };
}

/** One session file of `targetBytes`: copies of sample R3 (2.1.114) chained into one long conversation. */
function generateSingleFile(root: string, targetBytes: number): { bytes: number; path: string } {
  const template = readFileSync(join(samplesRoot, 'claude-code-log', '-experiments-worktrees', 'ef958aa1-0e93-49f0-bb71-150f63befcd1.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const sessionId = randomUUID();
  const path = join(root, 'projects', '-bench-single', `${sessionId}.jsonl`);
  mkdirSync(dirname(path), { recursive: true });
  const handle = openSync(path, 'w');
  let bytes = 0;
  let previousLeaf: string | null = null;
  while (bytes < targetBytes) {
    const remap = remapper([]);
    remap.uuid('ef958aa1-0e93-49f0-bb71-150f63befcd1');
    let rootLinked = false;
    let leaf: string | null = previousLeaf;
    const chunk: string[] = [];
    for (const templateLine of template) {
      let text = remap.line(templateLine).replaceAll(remap.uuid('ef958aa1-0e93-49f0-bb71-150f63befcd1'), sessionId);
      const record = JSON.parse(text) as { type?: string; uuid?: string; parentUuid?: string | null; isSidechain?: boolean };
      // Chain each copy under the previous copy's last turn: one conversation, one main thread.
      if (!rootLinked && record.uuid != null && record.parentUuid == null && previousLeaf != null) {
        record.parentUuid = previousLeaf;
        text = JSON.stringify(record);
        rootLinked = true;
      }
      if (record.uuid != null && record.parentUuid == null) rootLinked = true;
      if ((record.type === 'user' || record.type === 'assistant') && record.isSidechain !== true && record.uuid != null) leaf = record.uuid;
      chunk.push(text);
    }
    previousLeaf = leaf;
    const text = chunk.join('\n') + '\n';
    writeSync(handle, text);
    bytes += Buffer.byteLength(text);
  }
  closeSync(handle);
  return { bytes, path };
}

function parseLine(text: string): number {
  try {
    JSON.parse(text);
    return 1;
  } catch {
    return 0;
  }
}

/** The floor: read in 1 MiB chunks, split on \n, JSON.parse every line. Nothing else. */
function floor(paths: readonly string[]): number {
  let parsed = 0;
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  for (const path of paths) {
    const handle = openSync(path, 'r');
    let pending: Buffer | undefined;
    for (;;) {
      const read = readSync(handle, buffer, 0, buffer.length, null);
      if (read === 0) break;
      let chunk = buffer.subarray(0, read);
      if (pending != null) chunk = Buffer.concat([pending, chunk]);
      let start = 0;
      for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
        if (newline > start) {
          parsed += parseLine(chunk.toString('utf8', start, newline));
        }
        start = newline + 1;
      }
      pending = start < chunk.length ? Buffer.from(chunk.subarray(start)) : undefined;
    }
    if (pending != null && pending.length > 0) {
      parsed += parseLine(pending.toString('utf8'));
    }
    closeSync(handle);
  }
  return parsed;
}

async function runMode(mode: string, root: string): Promise<void> {
  // The built package is loaded before the clock starts: module loading (about 0.2 s through
  // tsx's loader hooks) is not extraction, and the floor loads nothing either.
  const { extractClaudeSessions, streamClaudeSession } = mode === 'floor' ? ({} as Partial<BuiltPackage>) : ((await import(new URL('../dist/index.js', import.meta.url).href)) as BuiltPackage);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let detail = '';
  if (mode === 'floor') {
    const paths = listFiles(join(root, 'projects')).filter((path) => path.endsWith('.jsonl'));
    detail = `${floor(paths)} lines`;
  } else if (mode === 'stream') {
    // Every transcript through the streaming API, messages consumed one by one and dropped.
    let sessions = 0;
    let messages = 0;
    for (const path of listFiles(join(root, 'projects')).filter((file) => file.endsWith('.jsonl'))) {
      for await (const event of streamClaudeSession!(path)) {
        if (event.kind === 'session') sessions += 1;
        else if (event.kind === 'message') messages += 1;
      }
    }
    detail = `${sessions} sessions, ${messages} messages`;
  } else {
    // The built package (pnpm bench builds it first): what users run, workers included.
    let sessions = 0;
    let messages = 0;
    for await (const session of extractClaudeSessions!({ roots: [root], workers: mode === 'workers' ? 2 : 1 })) {
      sessions += 1;
      messages += session.messages.length;
    }
    detail = `${sessions} sessions, ${messages} messages`;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, detail }) + '\n');
}

interface Measured {
  seconds: number;
  /** CPU time of all the process's threads: less sensitive than wall time to other load on the machine. */
  cpuSeconds?: number;
  maxRssBytes: number;
  detail: string;
}

/** Runs one mode in a fresh process, so its peak RSS is its own. */
function measure(mode: string, root: string): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--mode', mode, root], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim().split('\n').pop() ?? '{}') as Measured) : reject(new Error(`${mode} exited with ${code}`))));
  });
}

async function measureCcusage(root: string): Promise<Measured> {
  const { installAgent } = await import('@forge-internal/test-agents');
  const ccusage = (await installAgent('ccusage')).command;
  const home = await mkdtemp(join(tmpdir(), 'forge-bench-home-'));
  const started = performance.now();
  // GNU time reports the child's peak RSS in KiB.
  const { stderr } = await promisify(execFile)('/usr/bin/time', ['-f', 'maxrss_kib=%M cpu=%U+%S', ...ccusage, 'session', '--json', '--offline'], {
    env: { PATH: process.env.PATH, HOME: home, CLAUDE_CONFIG_DIR: root },
    maxBuffer: 512 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  await rm(home, { recursive: true, force: true });
  const kib = Number(/maxrss_kib=(\d+)/u.exec(stderr)?.[1] ?? 0);
  const cpu = /cpu=([\d.]+)\+([\d.]+)/u.exec(stderr);
  const cpuSeconds = cpu == null ? Number.NaN : Number(cpu[1]) + Number(cpu[2]);
  return { seconds, cpuSeconds, maxRssBytes: kib * 1024, detail: 'ccusage session --json --offline' };
}

function report(label: string, bytes: number, result: Measured, floorSeconds: number): void {
  const rate = bytes / result.seconds / 1e6;
  const ratio = result.seconds / floorSeconds;
  process.stdout.write(
    `${label.padEnd(34)} ${result.seconds.toFixed(2).padStart(7)} s ${rate.toFixed(0).padStart(6)} MB/s  ${ratio.toFixed(2)}× floor  cpu ${(result.cpuSeconds ?? Number.NaN).toFixed(2).padStart(6)} s  peak RSS ${(result.maxRssBytes / 1e6).toFixed(0).padStart(5)} MB  (${result.detail})\n`,
  );
}

async function main(): Promise<void> {
  const modeIndex = process.argv.indexOf('--mode');
  if (modeIndex !== -1) {
    await runMode(process.argv[modeIndex + 1] ?? '', process.argv[modeIndex + 2] ?? '');
    return;
  }
  ({ samplesRoot, handWrittenRoot } = await import('../src/test-support/fixtures.js'));
  const workspace = await mkdtemp(join(tmpdir(), 'forge-claude-bench-'));
  const [oneMinute, fiveMinutes] = loadavg();
  process.stdout.write(`load average before: ${oneMinute?.toFixed(2)} ${fiveMinutes?.toFixed(2)} on ${availableParallelism()} cores\n`);
  try {
    const corpusRoot = join(workspace, 'corpus');
    const singleRoot = join(workspace, 'single');
    let started = performance.now();
    const corpus = generateCorpus(corpusRoot, targetBytes);
    process.stdout.write(`corpus: ${corpus.files} files, ${(corpus.bytes / 1e6).toFixed(0)} MB, generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    started = performance.now();
    const single = generateSingleFile(singleRoot, targetBytes);
    process.stdout.write(`single file: ${basename(single.path)}, ${(statSync(single.path).size / 1e6).toFixed(0)} MB, generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`);

    for (const [name, root, bytes] of [
      ['multi-file corpus', corpusRoot, corpus.bytes],
      ['one single session file', singleRoot, single.bytes],
    ] as const) {
      process.stdout.write(`${name}\n`);
      const floorResult = await measure('floor', root);
      report('  floor (read+split+JSON.parse)', bytes, floorResult, floorResult.seconds);
      if (modes.has('single')) report('  extractClaudeSessions, 1 core', bytes, await measure('single', root), floorResult.seconds);
      if (modes.has('workers')) report('  extractClaudeSessions, 2 workers', bytes, await measure('workers', root), floorResult.seconds);
      if (modes.has('stream') && root === singleRoot) report('  streamClaudeSession, 1 core', bytes, await measure('stream', root), floorResult.seconds);
      if (modes.has('ccusage')) report('  ccusage 20.0.24', bytes, await measureCcusage(root), floorResult.seconds);
      process.stdout.write('\n');
    }
  } finally {
    if (process.argv.includes('--keep')) process.stdout.write(`kept ${workspace}\n`);
    else await rm(workspace, { recursive: true, force: true });
  }
}

await main();
