import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodes } from '../cli-io.js';
import { runCli } from '../test-support/run-cli.js';

const demoHome = join(import.meta.dirname, '..', '..', 'demo', 'home');
const emptyHome = mkdtempSync(join(tmpdir(), 'forge-cli-home-'));
const env = { HOME: emptyHome };

describe('forge synth plan', () => {
  it('should compare the demo corpus with an even split over its roles and say what to generate', async () => {
    const result = await runCli(['synth', 'plan', '--root', demoHome, '--json', '--quiet'], { env, cwd: emptyHome });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(exitCodes.ok);
    const plan = JSON.parse(result.stdout);
    expect(plan.sessions).toBe(14);
    // polecat (9 sessions) at a quarter sets the total at 36: 9 of each role.
    expect(plan.roles.map((row: { role: string; sessions: number; toGenerate: number }) => [row.role, row.sessions, row.toGenerate])).toEqual([
      ['mayor', 1, 8],
      ['deacon', 2, 7],
      ['polecat', 9, 0],
      ['crew', 2, 7],
    ]);
  });

  it('should print the table and the commands that fill the gaps for a given target', async () => {
    const result = await runCli(['synth', 'plan', '--root', demoHome, '--target', 'polecat=1,witness=1', '--quiet'], { env, cwd: emptyHome });
    expect(result.exitCode).toBe(exitCodes.ok);
    expect(result.stdout).toMatch(/^witness +0 +0 +0\.0% +50\.0% +9$/mu);
    expect(result.stdout).toContain('forge synth run --harness pi --role witness --count 9');
  });

  it('should exit 2 for a target naming an unknown role', async () => {
    const result = await runCli(['synth', 'plan', '--root', demoHome, '--target', 'janitor=1', '--quiet'], { env, cwd: emptyHome });
    expect(result.exitCode).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(/unknown role in --target "janitor"/u);
  });
});

describe('forge synth run', () => {
  it('should print the exact argv array of every run with --dry-run and run nothing', async () => {
    const argv = ['synth', 'run', '--harness', 'omp', '--role', 'witness,polecat', '--count', '2', '--thinking', 'high', '--program', '/opt/omp/bin/omp', '--var', 'rig=gastown', '--out', 'batch', '--dry-run'];
    const result = await runCli(argv, { env, cwd: emptyHome });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(exitCodes.ok);
    const runs = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(runs.map((run) => run.runId)).toEqual(['witness-high-1', 'witness-high-2', 'polecat-high-1', 'polecat-high-2']);
    expect(runs[2].cwd).toMatch(/\/forge-synth-XXXXXX\/polecat-high-1\/gt\/gastown\/polecats\/nux\/gastown$/u);
    expect(runs[0].argv).toEqual([
      '/opt/omp/bin/omp',
      '--print',
      '--session-dir',
      join(emptyHome, 'batch', 'runs', 'witness-high-1', 'sessions'),
      '--append-system-prompt',
      expect.stringMatching(/^\[GAS TOWN ROLE: witness\]\nYou are the Witness of rig gastown /u),
      '--thinking',
      'high',
      '--no-title',
      expect.stringMatching(/^\[GAS TOWN\] gastown\/witness <- deacon/u),
    ]);
  });

  it('should exit 2 for an unknown role or a bad --var before running anything', async () => {
    const role = await runCli(['synth', 'run', '--harness', 'pi', '--role', 'janitor', '--dry-run'], { env, cwd: emptyHome });
    expect(role.exitCode).toBe(exitCodes.usage);
    expect(role.stderr).toMatch(/unknown role "janitor"/u);
    const variable = await runCli(['synth', 'run', '--harness', 'pi', '--role', 'witness', '--var', 'rig', '--dry-run'], { env, cwd: emptyHome });
    expect(variable.exitCode).toBe(exitCodes.usage);
    expect(variable.stderr).toMatch(/bad --var "rig"/u);
  });
});
