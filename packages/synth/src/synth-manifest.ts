import { type Session } from '@forge/schema';
import { type PlannedSynthRun, type SynthBatchOptions, type SynthBatchPlan } from './plan-synth-batch.js';

/** How a run ended: `ok` (sessions read and tagged) or why not. */
export type SynthRunStatus = 'ok' | 'failed' | 'timed-out' | 'no-session' | 'unreadable' | 'skipped';

/** One run in the manifest. */
export interface SynthRunReport {
  runId: string;
  role: PlannedSynthRun['role'];
  task: string;
  thinking: string;
  status: SynthRunStatus;
  /** Why it is not `ok`, in words. */
  reason?: string;
  argv: string[];
  cwd: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** Session files the run wrote, relative to the output folder. */
  sessionFiles: string[];
  sessionIds: string[];
  /** input + output + cache read + cache write of the run's sessions. */
  tokens: number;
  /** The end of stderr of a run that is not `ok`. */
  stderrTail?: string;
}

/** `manifest.json` of a batch. */
export interface SynthManifest {
  generator: 'forge synth run';
  batchId: string;
  harness: SynthBatchOptions['harness'];
  harnessVersion?: string;
  options: {
    roles: string[];
    count: number;
    thinking: string[];
    model?: string;
    provider?: string;
    tools?: string[];
    concurrency: number;
    timeoutSeconds: number;
    maxTokens?: number;
    maxRuns?: number;
    cwd?: string;
    templateDir?: string;
    variables: Record<string, string>;
  };
  /** Set when a budget or an interruption stopped the batch before every run started. */
  stoppedBy?: 'token-budget' | 'run-budget' | 'interrupted';
  totals: Record<SynthRunStatus, number> & { planned: number; sessions: number; tokens: number };
  runs: SynthRunReport[];
}

/** The manifest of a finished batch: its options, totals and every run in plan order. */
export function buildManifest(
  options: SynthBatchOptions,
  plan: SynthBatchPlan,
  harnessVersion: string | undefined,
  runs: SynthRunReport[],
  sessions: Session[],
  stoppedBy: SynthManifest['stoppedBy'],
): SynthManifest {
  const totals = { planned: runs.length, ok: 0, failed: 0, 'timed-out': 0, 'no-session': 0, unreadable: 0, skipped: 0, sessions: sessions.length, tokens: 0 };
  for (const run of runs) {
    totals[run.status] += 1;
    totals.tokens += run.tokens;
  }
  return {
    generator: 'forge synth run',
    batchId: plan.batchId,
    harness: options.harness,
    ...(harnessVersion == null ? {} : { harnessVersion }),
    options: {
      roles: [...new Set(plan.runs.map((run) => run.role))],
      count: options.count,
      thinking: [...new Set(plan.runs.map((run) => run.thinking))],
      ...(options.model == null ? {} : { model: options.model }),
      ...(options.provider == null ? {} : { provider: options.provider }),
      ...(options.tools == null ? {} : { tools: [...options.tools] }),
      concurrency: options.concurrency ?? 1,
      timeoutSeconds: options.timeoutSeconds ?? 600,
      ...(options.maxTokens == null ? {} : { maxTokens: options.maxTokens }),
      ...(options.maxRuns == null ? {} : { maxRuns: options.maxRuns }),
      ...(options.cwd == null ? {} : { cwd: options.cwd }),
      ...(options.templateDir == null ? {} : { templateDir: options.templateDir }),
      variables: { ...options.variables },
    },
    ...(stoppedBy == null ? {} : { stoppedBy }),
    totals,
    runs,
  };
}
