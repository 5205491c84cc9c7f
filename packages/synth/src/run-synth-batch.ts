import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { readPiSession } from '@forge/extract-pir';
import { type Session, type SyntheticTag } from '@forge/schema';
import { appendSyntheticEntry } from './append-synthetic-entry.js';
import { defaultBatchId, planSynthBatch, type PlannedSynthRun, type SynthBatchOptions, type SynthBatchPlan } from './plan-synth-batch.js';
import { runProgram, type ProgramResult } from './run-program.js';
import { buildManifest, type SynthManifest, type SynthRunReport } from './synth-manifest.js';
import { SynthError } from './synth-error.js';

/** What {@link runSynthBatch} returns. */
export interface SynthBatchResult {
  out: string;
  manifest: SynthManifest;
  /** The tagged sessions, in plan order (also in `sessions.jsonl`). */
  sessions: Session[];
}

/** Hooks of {@link runSynthBatch}. */
export interface RunSynthBatchHooks {
  /** After each run, in completion order (for progress output). */
  onRunDone?: (report: SynthRunReport, done: number, planned: number) => void;
  /** The batch id; default from the clock (`synth-2026-12-05T01-02-03Z`). */
  batchId?: string;
  /** Aborting (Ctrl-C in the CLI) kills the runs under way and starts no more; the manifest is still written. */
  signal?: AbortSignal;
}

/**
 * Runs a batch: each planned run starts the real program in print mode with an argument array
 * (never a shell), in its own Gas Town-shaped temp folder (or `options.cwd`), with a timeout; then
 * the session file it wrote is read with `readPiSession` and tagged `synthetic`. Failed, timed-out
 * and session-less runs are reported with their stderr tail; a token or run budget stops starting
 * new runs (the ones under way finish). Writes `<out>/runs/<run>/sessions/…` (the program's own
 * files), `<out>/sessions.jsonl` (tagged Sessions, plan order) and `<out>/manifest.json`.
 *
 * @throws SynthError for bad options, templates, a non-empty `out`, or a program that cannot start.
 */
export async function runSynthBatch(options: SynthBatchOptions, hooks: RunSynthBatchHooks = {}): Promise<SynthBatchResult> {
  const batchId = hooks.batchId ?? defaultBatchId();
  await ensureEmptyFolder(options.out);
  const tempRoot = options.cwd == null ? await mkdtemp(join(tmpdir(), 'forge-synth-')) : undefined;
  try {
    const plan = await planSynthBatch(options, { batchId, ...(tempRoot == null ? {} : { tempRoot }) });
    const harnessVersion = await readHarnessVersion(plan, options);
    const reports = new Map<string, SynthRunReport>();
    const sessionsByRun = new Map<string, Session[]>();
    const budget = { tokens: 0, started: 0, stoppedBy: undefined as SynthManifest['stoppedBy'] };
    const queue = [...plan.runs];
    let done = 0;

    const worker = async () => {
      for (let run = queue.shift(); run != null; run = queue.shift()) {
        const stop = hooks.signal?.aborted === true ? 'interrupted' : budgetStop(options, budget);
        let report: SynthRunReport;
        if (stop != null) {
          budget.stoppedBy ??= stop;
          report = { ...reportBase(run), status: 'skipped', reason: skipReasons[stop](options), exitCode: null, signal: null, durationMs: 0 };
        } else {
          budget.started += 1;
          const outcome = await executeRun(run, plan, options, harnessVersion, hooks.signal);
          budget.tokens += outcome.report.tokens;
          report = outcome.report;
          sessionsByRun.set(run.runId, outcome.sessions);
        }
        reports.set(run.runId, report);
        done += 1;
        hooks.onRunDone?.(report, done, plan.runs.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, plan.runs.length)) }, worker));

    const runs = plan.runs.map((run) => reports.get(run.runId)!);
    const sessions = plan.runs.flatMap((run) => sessionsByRun.get(run.runId) ?? []);
    const manifest = buildManifest(options, plan, harnessVersion, runs, sessions, budget.stoppedBy);
    await writeAtomically(join(plan.out, 'sessions.jsonl'), sessions.map((session) => `${JSON.stringify(session)}\n`).join(''));
    await writeAtomically(join(plan.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { out: plan.out, manifest, sessions };
  } finally {
    if (tempRoot != null) await rm(tempRoot, { recursive: true, force: true });
  }
}

const skipReasons: Record<NonNullable<SynthManifest['stoppedBy']>, (options: SynthBatchOptions) => string> = {
  'token-budget': (options) => `token budget of ${options.maxTokens} used`,
  'run-budget': (options) => `run budget of ${options.maxRuns} reached`,
  interrupted: () => 'the batch was interrupted',
};

/** Which budget, if any, forbids starting another run. */
function budgetStop(options: SynthBatchOptions, budget: { tokens: number; started: number }): SynthManifest['stoppedBy'] {
  if (options.maxRuns != null && budget.started >= options.maxRuns) return 'run-budget';
  if (options.maxTokens != null && budget.tokens >= options.maxTokens) return 'token-budget';
  return undefined;
}

/** Runs one planned run and reads what it wrote. */
async function executeRun(
  run: PlannedSynthRun,
  plan: SynthBatchPlan,
  options: SynthBatchOptions,
  harnessVersion: string | undefined,
  signal: AbortSignal | undefined,
): Promise<{ report: SynthRunReport; sessions: Session[] }> {
  await mkdir(run.cwd, { recursive: true });
  for (const [path, content] of Object.entries(run.files)) {
    await mkdir(dirname(join(run.cwd, path)), { recursive: true });
    await writeFile(join(run.cwd, path), content);
  }
  await mkdir(run.sessionDir, { recursive: true });
  const result = await runProgram({ argv: run.argv, cwd: run.cwd, env: options.env, timeoutMs: (options.timeoutSeconds ?? 600) * 1000, ...(signal == null ? {} : { signal }) });
  const files = await listJsonlFiles(run.sessionDir);
  const base = { ...reportBase(run), exitCode: result.exitCode, signal: result.signal, durationMs: result.durationMs, sessionFiles: files.map((file) => relative(plan.out, file)) };
  const failure = failureOf(result, options.timeoutSeconds ?? 600);
  if (failure != null) return { report: { ...base, ...failure, stderrTail: result.stderrTail }, sessions: [] };
  if (files.length === 0) {
    const reason = options.harness === 'pir' ? 'no session file: pir ≥ 0.1.9 never saves print-mode sessions (docs/upstream/pir-requests.md)' : 'the program exited 0 but wrote no session file';
    return { report: { ...base, status: 'no-session', reason, stderrTail: result.stderrTail }, sessions: [] };
  }
  const synthetic = syntheticTag(run, plan, options, harnessVersion);
  const sessions: Session[] = [];
  try {
    for (const file of files) {
      await appendSyntheticEntry(file, synthetic);
      sessions.push(...(await readPiSession(file, { flavor: options.harness })).map((session) => ({ ...session, synthetic })));
    }
  } catch (error) {
    return { report: { ...base, status: 'unreadable', reason: (error as Error).message, stderrTail: result.stderrTail }, sessions: [] };
  }
  const tokens = sessions.reduce((sum, session) => sum + session.usage.input + session.usage.output + session.usage.cacheRead + session.usage.cacheWrite, 0);
  return { report: { ...base, status: 'ok', sessionIds: sessions.map((session) => session.id), tokens }, sessions };
}

function failureOf(result: ProgramResult, timeoutSeconds: number): Pick<SynthRunReport, 'status' | 'reason'> | undefined {
  if (result.timedOut) return { status: 'timed-out', reason: `killed after the ${timeoutSeconds} s timeout` };
  if (result.aborted) return { status: 'failed', reason: 'killed: the batch was interrupted' };
  if (result.spawnError != null) return { status: 'failed', reason: `could not start: ${result.spawnError}` };
  if (result.exitCode !== 0) return { status: 'failed', reason: result.exitCode == null ? `ended by ${result.signal}` : `exit code ${result.exitCode}` };
  return undefined;
}

function reportBase(run: PlannedSynthRun): Omit<SynthRunReport, 'status' | 'exitCode' | 'signal' | 'durationMs'> {
  return { runId: run.runId, role: run.role, task: run.task, thinking: run.thinking, argv: run.argv, cwd: run.cwd, sessionFiles: [], sessionIds: [], tokens: 0 };
}

function syntheticTag(run: PlannedSynthRun, plan: SynthBatchPlan, options: SynthBatchOptions, harnessVersion: string | undefined): SyntheticTag {
  return {
    batchId: plan.batchId,
    runId: run.runId,
    harness: options.harness,
    ...(harnessVersion == null ? {} : { harnessVersion }),
    role: run.role,
    template: { file: run.template.file, sha256: run.template.sha256, task: run.task },
    parameters: {
      thinking: run.thinking,
      ...(options.model == null ? {} : { model: options.model }),
      ...(options.provider == null ? {} : { provider: options.provider }),
      ...(options.tools == null ? {} : { tools: [...options.tools] }),
    },
    variables: run.variables,
  };
}

/**
 * `<program> --version` once per batch (pi prints `0.73.1`, omp `omp/18.2.3`).
 *
 * @throws SynthError `program-not-found` when the program cannot be started at all.
 */
async function readHarnessVersion(plan: SynthBatchPlan, options: SynthBatchOptions): Promise<string | undefined> {
  const command = options.command ?? [options.harness];
  const result = await runProgram({ argv: [...command, '--version'], cwd: plan.out, env: options.env, timeoutMs: 60_000 });
  if (result.spawnError != null) {
    throw new SynthError({ message: `cannot start ${command.join(' ')}: ${result.spawnError}`, code: 'program-not-found', hint: `install ${options.harness} or name it with --program` });
  }
  return /\d+\.\d+\.\d+[\w.+-]*/u.exec(`${result.stdout}\n${result.stderrTail}`)?.[0];
}

async function ensureEmptyFolder(folder: string): Promise<void> {
  const entries = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) {
    throw new SynthError({ message: 'the output folder is not empty', code: 'out-dir-not-empty', location: { file: folder }, hint: 'pick a new folder with --out (each batch keeps its own sessions and manifest)' });
  }
  await mkdir(folder, { recursive: true });
}

/** Every `*.jsonl` under a folder, sorted. */
async function listJsonlFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
