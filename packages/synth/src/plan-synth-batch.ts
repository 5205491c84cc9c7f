import { tmpdir } from 'node:os';
import { isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { harnessArgv } from './harness-argv.js';
import { readRoleTemplate, renderTemplateText, type RoleTemplate } from './role-template.js';
import { SynthError } from './synth-error.js';
import { oneOf, synthHarnesses, synthRoles, thinkingLevels, type SynthHarness, type SynthRole, type ThinkingLevel } from './synth-options.js';

/** What a batch generates and how (`forge synth run`'s options). */
export interface SynthBatchOptions {
  harness: SynthHarness;
  roles: readonly SynthRole[];
  /** Runs per role and thinking level. */
  count: number;
  /** One run set per level (a sweep); omitted: the program's default level, not passed. */
  thinking?: readonly ThinkingLevel[];
  model?: string;
  provider?: string;
  tools?: readonly string[];
  /** Runs at once; default 1. */
  concurrency?: number;
  /** Per run; default 600. */
  timeoutSeconds?: number;
  /** Start no run once the finished runs used this many tokens (input + output + cache read + cache write). */
  maxTokens?: number;
  /** Start at most this many runs. */
  maxRuns?: number;
  /** Run every program here instead of a fresh Gas Town-shaped temp folder per run (template files are then not written). */
  cwd?: string;
  /** The output folder: session files, `sessions.jsonl`, `manifest.json`. Must be empty or absent. */
  out: string;
  /** argv prefix that starts the program; default `[harness]` (found on PATH). */
  command?: readonly string[];
  /** Look for templates only here (default: the user folder, then the built-in one). */
  templateDir?: string;
  /** Template variables that override the templates' own `[variables]`. */
  variables?: Readonly<Record<string, string>>;
  /** The program's environment (also decides the user template folder). */
  env: Readonly<Record<string, string | undefined>>;
}

/** One run of a batch, fully worked out. */
export interface PlannedSynthRun {
  runId: string;
  role: SynthRole;
  task: string;
  /** The level passed, or `default`. */
  thinking: string;
  template: Pick<RoleTemplate, 'file' | 'sha256'>;
  /** The values the template was filled with. */
  variables: Record<string, string>;
  cwd: string;
  /** Files written into `cwd` before the run (relative path → content); none with `--cwd`. */
  files: Record<string, string>;
  sessionDir: string;
  argv: string[];
}

/** A batch before it runs (what `--dry-run` prints). */
export interface SynthBatchPlan {
  batchId: string;
  out: string;
  runs: PlannedSynthRun[];
}

/**
 * Works out every run of a batch: reads each role's template, fills its variables, picks tasks
 * round-robin and builds the argv. Nothing is written or run (this is `--dry-run`). `tempRoot` is
 * the folder the runs' temp towns go under (each run gets `<tempRoot>/<runId>/gt/…`; unused with
 * `cwd`); `runSynthBatch` makes a fresh one, a dry run shows `$TMPDIR/forge-synth-XXXXXX`.
 *
 * @throws SynthError `usage` for bad options, `template-missing`/`template-invalid` for templates.
 */
export async function planSynthBatch(
  options: SynthBatchOptions,
  context: { batchId?: string; tempRoot?: string } = {},
): Promise<SynthBatchPlan> {
  const batchId = context.batchId ?? defaultBatchId();
  const tempRoot = context.tempRoot ?? join(tmpdir(), 'forge-synth-XXXXXX');
  const harness = oneOf(options.harness, synthHarnesses, 'harness');
  if (options.roles.length === 0) throw new SynthError({ message: 'no role given', code: 'usage', hint: `use --role with one or more of ${synthRoles.join(', ')}` });
  const roles = [...new Set(options.roles.map((role) => oneOf(role, synthRoles, 'role')))];
  const levels = options.thinking == null || options.thinking.length === 0 ? [undefined] : [...new Set(options.thinking.map((level) => oneOf(level, thinkingLevels, 'thinking level')))];
  positiveInteger(options.count, '--count');
  if (options.concurrency != null) positiveInteger(options.concurrency, '--concurrency');
  if (options.maxRuns != null) positiveInteger(options.maxRuns, '--max-runs');
  if (options.maxTokens != null) positiveInteger(options.maxTokens, '--max-tokens');
  if (options.timeoutSeconds != null && !(options.timeoutSeconds > 0)) {
    throw new SynthError({ message: `--timeout must be a number of seconds > 0, not ${options.timeoutSeconds}`, code: 'usage' });
  }
  const out = resolve(options.out);
  const command = options.command ?? [harness];
  const width = String(options.count).length;

  const runs: PlannedSynthRun[] = [];
  for (const role of roles) {
    const template = await readRoleTemplate(role, { ...(options.templateDir == null ? {} : { templateDir: options.templateDir }), env: options.env });
    for (const level of levels) {
      for (let index = 1; index <= options.count; index += 1) {
        const runId = `${role}-${level ?? 'default'}-${String(index).padStart(width, '0')}`;
        const task = template.tasks[(index - 1) % template.tasks.length]!;
        const place = placeOfRun(template, runId, options, tempRoot, level);
        const field = (name: string) => ({ file: template.file, field: name });
        const systemPrompt = renderTemplateText(template.system, place.variables, field('system'));
        const prompt = renderTemplateText(task.prompt, place.variables, field(`tasks.${task.name}.prompt`)).trim();
        if (prompt.startsWith('-')) {
          throw new SynthError({ message: `the prompt of task ${task.name} starts with "-", which the program would read as an option`, code: 'template-invalid', location: { file: template.file } });
        }
        const sessionDir = join(out, 'runs', runId, 'sessions');
        runs.push({
          runId,
          role,
          task: task.name,
          thinking: level ?? 'default',
          template: { file: template.file, sha256: template.sha256 },
          variables: place.variables,
          cwd: place.cwd,
          files: place.files,
          sessionDir,
          argv: harnessArgv({
            harness,
            command,
            prompt,
            systemPrompt: systemPrompt.trim(),
            sessionDir,
            ...(level == null ? {} : { thinking: level }),
            ...(options.model == null ? {} : { model: options.model }),
            ...(options.provider == null ? {} : { provider: options.provider }),
            ...(options.tools == null ? {} : { tools: options.tools }),
          }),
        });
      }
    }
  }
  return { batchId, out, runs };
}

/** A run's cwd, template variables and files. */
function placeOfRun(template: RoleTemplate, runId: string, options: SynthBatchOptions, tempRoot: string, level: string | undefined) {
  const fixed = { role: template.role, run: runId, thinking: level ?? 'default' };
  if (options.cwd != null) {
    const cwd = resolve(options.cwd);
    return { cwd, files: {}, variables: { ...template.variables, ...options.variables, ...fixed, town: cwd, cwd } };
  }
  const town = join(tempRoot, runId, 'gt');
  const partial = { ...template.variables, ...options.variables, ...fixed, town };
  const cwd = normalize(renderTemplateText(template.workDir, partial, { file: template.file, field: 'work_dir' }));
  const inTown = relative(town, cwd);
  if (inTown.startsWith('..') || isAbsolute(inTown)) {
    throw new SynthError({ message: `work_dir ${JSON.stringify(template.workDir)} leaves the town folder`, code: 'template-invalid', location: { file: template.file }, hint: 'start it with {{town}}/' });
  }
  const variables = { ...partial, cwd };
  const files: Record<string, string> = {};
  for (const [path, content] of Object.entries(template.files)) {
    const where = { file: template.file, field: `files.${path}` };
    const target = normalize(renderTemplateText(path, variables, where));
    if (target.startsWith('..') || isAbsolute(target)) throw new SynthError({ message: `file ${JSON.stringify(path)} leaves the work dir`, code: 'template-invalid', location: { file: template.file } });
    files[target] = renderTemplateText(content, variables, where);
  }
  return { cwd, files, variables };
}

/** `synth-2026-12-05T01-02-03Z`: the batch's start time, usable in paths. */
export function defaultBatchId(): string {
  return `synth-${new Date().toISOString().replace(/\.\d+Z$/u, 'Z').replaceAll(':', '-')}`;
}

function positiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new SynthError({ message: `${what} must be a whole number ≥ 1, not ${value}`, code: 'usage' });
}
