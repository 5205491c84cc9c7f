import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSynthBatch, type SynthBatchOptions } from './plan-synth-batch.js';
import { readRoleTemplate } from './role-template.js';
import { synthRoles } from './synth-options.js';

const base: SynthBatchOptions = { harness: 'pi', roles: ['witness'], count: 1, out: '/tmp/forge-synth-out', env: { HOME: '/nonexistent-home' } };

// Each role's home below the town root (gastown-beads.md T1), as forge's reader maps cwd to role.
const homes = {
  mayor: 'mayor',
  deacon: 'deacon',
  witness: 'myrig/witness',
  refinery: 'myrig/refinery/rig',
  polecat: 'myrig/polecats/nux/myrig',
  crew: 'myrig/crew/max',
  dog: 'deacon/dogs/rex',
};

describe('the built-in templates', () => {
  it.each(synthRoles)('%s: should fill every task and put the run where Gas Town puts that role', async (role) => {
    const template = await readRoleTemplate(role, { env: base.env });
    const plan = await planSynthBatch({ ...base, roles: [role], count: template.tasks.length }, { batchId: 'b', tempRoot: '/tmp/forge-synth-T' });
    expect(plan.runs.map((run) => run.task)).toEqual(template.tasks.map((task) => task.name));
    for (const run of plan.runs) {
      expect(run.cwd).toBe(`/tmp/forge-synth-T/${run.runId}/gt/${homes[role]}`);
      const systemPrompt = run.argv[run.argv.indexOf('--append-system-prompt') + 1]!;
      expect(systemPrompt.startsWith(`[GAS TOWN ROLE: ${role}]`)).toBe(true);
      expect(run.argv.join('\n')).not.toMatch(/\{\{/u);
    }
  });
});

describe('planSynthBatch', () => {
  it('should build the exact argv of each run: roles × thinking levels × count', async () => {
    const plan = await planSynthBatch(
      { ...base, roles: ['witness', 'polecat'], count: 2, thinking: ['off', 'high'], model: 'claude-sonnet-4-5', provider: 'anthropic', tools: ['read', 'bash'], command: ['node', '/opt/pi/cli.js'] },
      { batchId: 'b1', tempRoot: '/tmp/t' },
    );
    expect(plan.runs.map((run) => run.runId)).toEqual([
      'witness-off-1', 'witness-off-2', 'witness-high-1', 'witness-high-2',
      'polecat-off-1', 'polecat-off-2', 'polecat-high-1', 'polecat-high-2',
    ]);
    const [first] = plan.runs;
    expect(first!.argv).toEqual([
      'node', '/opt/pi/cli.js', '--print',
      '--session-dir', '/tmp/forge-synth-out/runs/witness-off-1/sessions',
      '--append-system-prompt', expect.stringMatching(/^\[GAS TOWN ROLE: witness\]\nYou are the Witness of rig myrig in the Gas Town at \/tmp\/t\/witness-off-1\/gt\./u),
      '--thinking', 'off', '--provider', 'anthropic', '--model', 'claude-sonnet-4-5', '--tools', 'read,bash',
      expect.stringMatching(/^\[GAS TOWN\] myrig\/witness <- deacon • 2026-08-11T11:30 • patrol\n/u),
    ]);
    expect(first!.cwd).toBe('/tmp/t/witness-off-1/gt/myrig/witness');
    expect(Object.keys(first!.files)).toEqual(['patrol/polecats.txt']);
  });

  it('should give omp --no-title, run everything in --cwd without writing files there, and let --var win over template defaults', async () => {
    const plan = await planSynthBatch({ ...base, harness: 'omp', roles: ['polecat'], cwd: '/work/repo', variables: { agent: 'toast', bead: 'gt-8yn' } });
    const [run] = plan.runs;
    expect(run!.argv.slice(0, 2)).toEqual(['omp', '--print']);
    expect(run!.argv.at(-2)).toBe('--no-title');
    expect(run!.argv.at(-1)).toMatch(/^\[GAS TOWN\] polecat toast \(rig: myrig\) <- witness • 2026-08-11T16:40 • assigned:gt-8yn\n/u);
    expect(run!).toMatchObject({ cwd: '/work/repo', files: {}, thinking: 'default' });
    expect(run!.variables).toMatchObject({ town: '/work/repo', cwd: '/work/repo', agent: 'toast', role: 'polecat', run: 'polecat-default-1' });
  });

  it('should reject unknown roles, harnesses and levels, and a count below 1', async () => {
    await expect(planSynthBatch({ ...base, roles: ['janitor' as never] })).rejects.toThrow(/unknown role "janitor" \(use one of mayor, deacon, witness/);
    await expect(planSynthBatch({ ...base, harness: 'claude' as never })).rejects.toThrow(/unknown harness/);
    await expect(planSynthBatch({ ...base, thinking: ['max' as never] })).rejects.toThrow(/unknown thinking level "max"/);
    await expect(planSynthBatch({ ...base, count: 0 })).rejects.toThrow(/--count must be a whole number ≥ 1/);
    await expect(planSynthBatch({ ...base, concurrency: Number.NaN })).rejects.toThrow(/--concurrency must be a whole number ≥ 1, not NaN/);
    await expect(planSynthBatch({ ...base, timeoutSeconds: 0 })).rejects.toThrow(/--timeout must be a number of seconds > 0/);
  });

  it('should name the template file and line of a broken or incomplete user template', async () => {
    const templateDir = await mkdtemp(join(tmpdir(), 'forge-synth-templates-'));
    await writeFile(join(templateDir, 'witness.toml'), 'role = "witness"\nwork_dir = "{{town}}/x/witness"\nsystem = """\nunterminated\n');
    await expect(planSynthBatch({ ...base, templateDir })).rejects.toThrow(new RegExp(`${templateDir}/witness.toml:\\d+: not valid TOML`, 'u'));
    await writeFile(join(templateDir, 'witness.toml'), 'role = "witness"\nwork_dir = "{{town}}/x/witness"\nsystem = "[GAS TOWN ROLE: witness] {{rigg}}"\n[[tasks]]\nname = "t"\nprompt = "go"\n');
    await expect(planSynthBatch({ ...base, templateDir })).rejects.toThrow(/witness\.toml: system uses \{\{rigg\}\}, which has no value \(set it in \[variables\] or with --var rigg=…/u);
    await writeFile(join(templateDir, 'witness.toml'), 'role = "witness"\nwork_dir = "{{town}}/../escape"\nsystem = "s"\n[[tasks]]\nname = "t"\nprompt = "go"\n');
    await expect(planSynthBatch({ ...base, templateDir })).rejects.toThrow(/leaves the town folder/);
    await expect(planSynthBatch({ ...base, roles: ['mayor'], templateDir })).rejects.toThrow(/no template for role mayor/);
  });
});
