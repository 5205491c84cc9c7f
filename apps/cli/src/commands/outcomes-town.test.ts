// The real Claude Code and pi programs, driven by the loopback stub model, work beads in a temp
// Gas Town town (real git; the bd STAND-IN of tooling/test-agents, since the real bd cannot be
// installed here): a bead closed on the first try, a feature reopened after a first attempt and
// closed by a second, a feature with only failed attempts, a task closed without changes, and a pi
// session with an abandoned branch (pi's own navigateTree, called by a one-line extension command
// in print mode). pi's model is priced, so pi records each response's cost; Claude Code records
// none. Then `forge pairs`, `forge run --format dpo-…,kto`, `forge eval extract` and
// `forge compare` run on the sessions they wrote.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  installAgent,
  makeGasTownTown,
  makeTempHome,
  runClaude,
  runPi,
  startStubModel,
  type GasTownTown,
  type InstalledAgent,
  type ScriptedTurn,
} from '@forge-internal/test-agents';
import { parseOpenAiDpoRecord, parseShareGptRankingRecord, parseTrlDpoRecord, parseTrlKtoRecord } from '@forge/schema';
import { runCli } from '../test-support/run-cli.js';

const usage = { input: 20, output: 40, cacheRead: 1000, cacheWrite: 100 };
/** pi's price for the stub model, USD per million tokens: each scripted turn costs (20 × 3 + 40 × 15 + 1000 × 0.3 + 100 × 3.75) / 10⁶ = 0.001335. */
const piModelCost = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
const costPerTurn = 0.001335;
const files = {
  'greet.js': "module.exports = function greet(name) {\n  return 'Hello, ' + name;\n};\n",
  'test.js': "const assert = require('node:assert');\nassert.strictEqual(require('./greet.js')('Ada').startsWith('Hello'), true);\nconsole.log('ok');\n",
};

let town: GasTownTown;
let claude: InstalledAgent;
let pi: InstalledAgent;
/** Every agent run's home: the `--root` folders forge reads. */
const homes: string[] = [];
const ids: Record<string, string> = {};
let cacheDir: string;


async function runScript(key: string, agent: 'claude' | 'pi', cwd: string, identity: string, args: string[], script: ScriptedTurn[]): Promise<void> {
  const stub = await startStubModel({ script });
  try {
    const home = await makeTempHome();
    homes.push(home);
    const env = town.agentEnv(identity, home);
    const run = agent === 'claude' ? await runClaude({ stub, cwd, home, env, args, agent: claude }) : await runPi({ stub, cwd, home, env, args, agent: pi, modelCost: piModelCost });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(stub.unservedTurns()).toEqual([]);
    const file = run.sessionFiles.find((path) => !path.includes('subagents'))!;
    ids[key] = agent === 'claude' ? file.split('/').pop()!.replace('.jsonl', '') : JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!).id;
  } finally {
    await stub.close();
  }
}

async function forge(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return runCli([...args, ...homes.flatMap((home) => ['--root', home])], { env: { HOME: town.root, PATH: '/usr/bin:/bin' }, cwd: town.root });
}

beforeAll(async () => {
  [claude, pi] = await Promise.all([installAgent('claude'), installAgent('pi')]);
  town = makeGasTownTown({ files });
  cacheDir = join(town.root, '..', 'forge-cache');
  town.bd('mayor', ['create', '--id', 'dm-a1b2', '--title', 'Greeting ends without a period', '--type', 'bug']);
  town.bd('mayor', ['create', '--id', 'dm-c3d4', '--title', 'Add farewell()', '--type', 'feature']);
  town.bd('mayor', ['create', '--id', 'dm-e5f6', '--title', 'Add shout()', '--type', 'feature']);
  town.bd('mayor', ['create', '--id', 'dm-g7h8', '--title', 'Check that greet() is exported', '--type', 'task']);

  // dm-a1b2: nux (Claude Code) closes it on the first try; the refinery merges it.
  const nux = town.addPolecat('nux', 'dm-a1b2');
  town.sling('dm-a1b2', nux.identity);
  await runScript('firstTry', 'claude', nux.cwd, nux.identity, [town.beacon('nux', 'dm-a1b2')], [
    { toolCalls: [{ name: 'Bash', input: { command: 'bd update dm-a1b2 --claim', description: 'Claim' } }], usage },
    { toolCalls: [{ name: 'Read', input: { file_path: join(nux.cwd, 'greet.js') } }], usage },
    { toolCalls: [{ name: 'Edit', input: { file_path: join(nux.cwd, 'greet.js'), old_string: "  return 'Hello, ' + name;", new_string: "  return 'Hello, ' + name + '.';" } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'node test.js', description: 'Test' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'git add greet.js && git commit -m "fix(greet): end the greeting with a period (dm-a1b2)"', description: 'Commit' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'bd close dm-a1b2 --reason "Closed"', description: 'Close' } }], usage },
    { text: 'The greeting now ends with a period; dm-a1b2 is closed.', usage },
  ]);
  town.merge(nux.branch);
  town.bd('demo/refinery', ['close', 'dm-a1b2', '--reason', 'Merged in dm-wisp-m1']);

  // dm-c3d4: furiosa (pi) closes it, the refinery reopens it, furiosa (Claude Code) closes it again.
  const furiosa = town.addPolecat('furiosa', 'dm-c3d4');
  town.sling('dm-c3d4', furiosa.identity);
  await runScript('reopened', 'pi', furiosa.cwd, furiosa.identity, [town.beacon('furiosa', 'dm-c3d4')], [
    { toolCalls: [{ name: 'bash', input: { command: 'bd update dm-c3d4 --claim' } }], usage },
    { toolCalls: [{ name: 'write', input: { path: 'farewell.js', content: "module.exports = function farewell(name) {\n  return 'Bye ' + name;\n};\n" } }], usage },
    { toolCalls: [{ name: 'bash', input: { command: 'git add farewell.js && git commit -m "feat(farewell): add farewell() (dm-c3d4)"' } }], usage },
    { toolCalls: [{ name: 'bash', input: { command: 'bd close dm-c3d4' } }], usage },
    { text: 'Added farewell(); dm-c3d4 closed.', usage },
  ]);
  town.bd('demo/refinery', ['reopen', 'dm-c3d4', '--reason', 'FIX_NEEDED: farewell() must say Goodbye']);
  town.sling('dm-c3d4', furiosa.identity);
  await runScript('reworked', 'claude', furiosa.cwd, furiosa.identity, [town.beacon('furiosa', 'dm-c3d4')], [
    { toolCalls: [{ name: 'Bash', input: { command: 'bd update dm-c3d4 --claim', description: 'Claim' } }], usage },
    { toolCalls: [{ name: 'Read', input: { file_path: join(furiosa.cwd, 'farewell.js') } }], usage },
    { toolCalls: [{ name: 'Edit', input: { file_path: join(furiosa.cwd, 'farewell.js'), old_string: "  return 'Bye ' + name;", new_string: "  return 'Goodbye, ' + name + '.';" } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'node test.js', description: 'Test' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'git commit -am "fix(farewell): say Goodbye (dm-c3d4)"', description: 'Commit' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'bd close dm-c3d4 --reason "Closed"', description: 'Close' } }], usage },
    { text: 'farewell() now says Goodbye; dm-c3d4 closed again.', usage },
  ]);
  town.merge(furiosa.branch);
  town.bd('demo/refinery', ['close', 'dm-c3d4', '--reason', 'Merged in dm-wisp-m2']);

  // dm-e5f6: slit (pi) closes it and it is reopened; rictus (pi) takes it over and is reset: no attempt closed it.
  const slit = town.addPolecat('slit', 'dm-e5f6');
  town.sling('dm-e5f6', slit.identity);
  await runScript('failed1', 'pi', slit.cwd, slit.identity, [town.beacon('slit', 'dm-e5f6')], [
    { toolCalls: [{ name: 'bash', input: { command: 'bd update dm-e5f6 --claim' } }], usage },
    { toolCalls: [{ name: 'bash', input: { command: 'bd close dm-e5f6' } }], usage },
    { text: 'Closed dm-e5f6.', usage },
  ]);
  town.bd('demo/refinery', ['reopen', 'dm-e5f6', '--reason', 'FIX_NEEDED: nothing was written']);
  const rictus = town.addPolecat('rictus', 'dm-e5f6');
  town.sling('dm-e5f6', rictus.identity);
  await runScript('failed2', 'pi', rictus.cwd, rictus.identity, [town.beacon('rictus', 'dm-e5f6')], [
    { toolCalls: [{ name: 'bash', input: { command: 'bd update dm-e5f6 --claim' } }], usage },
    { text: 'I cannot find where shout() should go; giving up.', usage },
  ]);
  town.bd('mayor', ['update', 'dm-e5f6', '--status=open', '--assignee=']);

  // dm-g7h8: toast (pi) finds nothing to change and closes it without code on the first try.
  const toast = town.addPolecat('toast', 'dm-g7h8');
  town.sling('dm-g7h8', toast.identity);
  await runScript('noChanges', 'pi', toast.cwd, toast.identity, [town.beacon('toast', 'dm-g7h8')], [
    { toolCalls: [{ name: 'bash', input: { command: 'bd update dm-g7h8 --claim' } }], usage },
    { toolCalls: [{ name: 'bash', input: { command: 'bd close dm-g7h8 --reason "no-changes: greet() is already exported"' } }], usage },
    { text: 'greet() is already exported; dm-g7h8 closed without changes.', usage },
  ]);

  // A crew session in pi: the user retries the last prompt (pi's tree navigation), abandoning the first answer.
  const extension = join(town.root, '..', 'retry-extension.js');
  writeFileSync(
    extension,
    "export default function (pi) {\n  pi.registerCommand('retry', {\n    description: 'branch back to the last user message',\n    handler: async (_args, ctx) => {\n      const lastUser = [...ctx.sessionManager.getBranch()].reverse().find((entry) => entry.type === 'message' && entry.message.role === 'user');\n      await ctx.navigateTree(lastUser.id);\n    },\n  });\n}\n",
  );
  const ask = 'How should greet() handle an empty name?';
  await runScript('branched', 'pi', town.rigRepo, 'demo/crew/max', ['-e', extension, 'Read greet.js.', ask, '/retry', ask], [
    { toolCalls: [{ name: 'read', input: { path: 'greet.js' } }], usage },
    { text: 'greet() returns a greeting for any name.', usage },
    { text: 'Just delete the function.', usage },
    { text: 'Return "Hello, stranger." when the name is empty.', usage },
  ]);
}, 600_000);


describe('preference pairs from the real agents in a temp Gas Town', () => {
  it('should list the same-bead pair, the sibling-branch pair and the KTO single, and say why dm-e5f6 gave none', { timeout: 240_000 }, async () => {
    const result = await forge(['pairs', '--json', '--quiet']);
    expect(result.exitCode, result.stderr).toBeLessThanOrEqual(3);
    const pairs = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const sameBead = pairs.filter((pair) => pair.kind === 'same-bead');
    expect(sameBead).toEqual([expect.objectContaining({ bead: 'dm-c3d4', chosen: expect.objectContaining({ sessionId: ids.reworked, tier: 'rework' }), rejected: expect.objectContaining({ sessionId: ids.reopened, tier: 'reopened' }) })]);
    expect(sameBead[0].margin).toBeGreaterThanOrEqual(0.1);
    const branches = pairs.filter((pair) => pair.kind === 'sibling-branch');
    expect(branches).toHaveLength(1);
    expect(branches[0].chosen.sessionId).toBe(ids.branched);
    expect(branches[0].rejected.sessionId).toMatch(new RegExp(`^${ids.branched}`, 'u'));
    expect(branches[0].rejected.sessionId).not.toBe(ids.branched);
    expect(pairs.filter((pair) => pair.kind === 'single')).toEqual(expect.arrayContaining([expect.objectContaining({ bead: 'dm-a1b2', label: true, session: expect.objectContaining({ sessionId: ids.firstTry }) })]));
    expect(pairs.some((pair) => pair.bead === 'dm-e5f6')).toBe(false);
    expect(pairs.some((pair) => pair.kind === 'same-type')).toBe(false);
    const noisy = await forge(['pairs']);
    if (process.env.PRINT_TOWN) console.log(noisy.stdout, noisy.stderr);
    expect(noisy.stderr).toMatch(/no pair: pairs:bead:dm-e5f6: no attempt closed the bead \(2 attempts: [^)]*\): no same-bead pair/u);
  });

  it('should pair the two features across beads only with --pair-by type: dm-c3d4\'s closure over dm-e5f6\'s worst failure', { timeout: 240_000 }, async () => {
    const scores = (await forge(['score', '--json', '--quiet', '--cache-dir', cacheDir])).stdout.trim().split('\n').map((line) => JSON.parse(line));
    const scoreOf = (id: string): number => scores.find((score) => score.sessionId === id).score;
    // The bd record's issue_type reaches the score's bead outcomes.
    expect(scores.find((score) => score.sessionId === ids.reworked).outcome.beads).toEqual([expect.objectContaining({ id: 'dm-c3d4', issueType: 'feature', tier: 'rework' })]);
    const result = await forge(['pairs', '--json', '--quiet', '--pair-by', 'type']);
    expect(result.exitCode, result.stderr).toBeLessThanOrEqual(3);
    const pairs = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const worst = [ids.failed1!, ids.failed2!].sort((left, right) => scoreOf(left) - scoreOf(right))[0]!;
    expect(pairs).toEqual([
      {
        kind: 'same-type',
        bead: null,
        margin: Math.round((scoreOf(ids.reworked!) - scoreOf(worst)) * 10_000) / 10_000,
        chosen: expect.objectContaining({ sessionId: ids.reworked, bead: 'dm-c3d4', issueType: 'feature', tier: 'rework' }),
        rejected: expect.objectContaining({ sessionId: worst, bead: 'dm-e5f6', issueType: 'feature' }),
      },
    ]);
    // The other types: the bug and the task each closed, nothing failed.
    const noisy = await forge(['pairs', '--pair-by', 'type']);
    if (process.env.PRINT_TOWN) console.log((await forge(['pairs', '--pair-by', 'bead,branch,type'])).stdout);
    expect(noisy.stderr).toContain('no pair: pairs:type:bug: 1 closed and 0 failed beads of type bug: no same-type pair');
    expect(noisy.stderr).toContain('no pair: pairs:type:task: 1 closed and 0 failed beads of type task: no same-type pair');
    expect(noisy.stdout).toMatch(/same-type\s+dm-c3d4>dm-e5f6/u);
    // forge.config.json's pairBy and minMargin apply as they do for forge run; the flags win.
    const config = join(town.root, '..', 'pairs-config.json');
    writeFileSync(config, JSON.stringify({ pairBy: ['type'], minMargin: 1 }));
    const strict = await forge(['pairs', '--config', config]);
    expect(strict.stdout).not.toContain('same-type');
    expect(strict.stderr).toMatch(/no pair: pairs:type:feature: pair \S+ > \S+ dropped: margin [\d.]+ is below --min-margin 1/u);
    const flagged = await forge(['pairs', '--json', '--quiet', '--config', config, '--min-margin', '0.1', '--pair-by', 'type,bead']);
    expect(flagged.stdout.trim().split('\n').map((line) => JSON.parse(line).kind).sort()).toEqual(['same-bead', 'same-type', 'single', 'single']);
    // forge run writes the same-type row with --pair-by.
    const out = join(town.root, '..', 'dataset-by-type');
    const run = await forge(['run', '--format', 'dpo-trl', '--pair-by', 'type', '--out', out, '--cache-dir', cacheDir, '--validation-ratio', '0', '--quiet']);
    expect(run.exitCode, run.stderr).toBeLessThanOrEqual(3);
    const labels = readFileSync(join(out, 'dpo-trl', 'rows.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).preference);
    expect(labels.map((label) => [label.kind, label.chosen.sessionId, label.rejected.sessionId])).toEqual([['same-type', ids.reworked, worst]]);
    const row = parseTrlDpoRecord(JSON.parse(readFileSync(join(out, 'dpo-trl', 'train.jsonl'), 'utf8').trim()));
    expect(row.prompt.at(-1)?.content).toContain('assigned:dm-c3d4');
  });

  it('should write every preference format through forge run, each row loading through its schema, rows.jsonl naming both sessions', { timeout: 240_000 }, async () => {
    const out = join(town.root, '..', 'dataset');
    const result = await forge(['run', '--format', 'dpo-trl,dpo-sharegpt,dpo-openai,kto', '--out', out, '--cache-dir', cacheDir, '--validation-ratio', '0', '--quiet']);
    expect(result.exitCode, result.stderr).toBeLessThanOrEqual(3);
    const lines = (path: string): string[] => readFileSync(join(out, path), 'utf8').split('\n').filter((line) => line !== '');
    const trl = lines('dpo-trl/train.jsonl').map((line) => parseTrlDpoRecord(JSON.parse(line)));
    expect(trl).toHaveLength(2);
    const labels = lines('dpo-trl/rows.jsonl').map((line) => JSON.parse(line));
    expect(labels.map((label) => [label.preference.kind, label.preference.chosen.sessionId, label.preference.rejected.sessionId]).sort()).toEqual(
      [['same-bead', ids.reworked, ids.reopened], ['sibling-branch', ids.branched, expect.any(String)]].sort(),
    );
    // The sibling branches share the prompt up to the retried question; the sides are the two answers.
    const branchRow = trl[labels.findIndex((label) => label.preference.kind === 'sibling-branch')]!;
    expect(branchRow.prompt.at(-1)).toMatchObject({ role: 'user', content: 'How should greet() handle an empty name?' });
    expect(branchRow.chosen.map((message) => message.content)).toEqual(['Return "Hello, stranger." when the name is empty.']);
    expect(branchRow.rejected.map((message) => message.content)).toEqual(['Just delete the function.']);
    // The same-bead pair: the assignment as prompt, each attempt's whole trajectory (tool calls and results) as a side.
    const beadRow = trl[labels.findIndex((label) => label.preference.kind === 'same-bead')]!;
    expect(beadRow.prompt.at(-1)?.content).toContain('assigned:dm-c3d4');
    expect(beadRow.chosen.some((message) => message.role === 'tool')).toBe(true);
    expect(beadRow.chosen.flatMap((message) => message.tool_calls ?? []).some((call) => call.function.name === 'Edit')).toBe(true);
    expect(beadRow.rejected.flatMap((message) => message.tool_calls ?? []).some((call) => call.function.name === 'write')).toBe(true);
    // One-message divergence only: the branch pair qualifies for OpenAI and LLaMA-Factory ranking, the bead pair is reported skipped.
    expect(lines('dpo-openai/train.jsonl').map((line) => parseOpenAiDpoRecord(JSON.parse(line)))).toHaveLength(1);
    expect(lines('dpo-sharegpt/train.jsonl').map((line) => parseShareGptRankingRecord(JSON.parse(line)))).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.skipped.some((item: { reason: string }) => item.reason.startsWith('dpo-openai: skipped: the chosen side is'))).toBe(true);
    const kto = lines('kto/train.jsonl').map((line) => parseTrlKtoRecord(JSON.parse(line)));
    const ktoLabels = lines('kto/rows.jsonl').map((line) => JSON.parse(line).preference);
    expect(ktoLabels.map((label) => [label.bead, label.label]).sort()).toEqual([['dm-a1b2', true], ['dm-g7h8', true]]);
    expect(kto[0]!.label).toBe(true);
    const info = JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8'));
    expect(info.forge_dpo_train).toMatchObject({ ranking: true, formatting: 'sharegpt', columns: { chosen: 'chosen', rejected: 'rejected' } });
    expect(readFileSync(join(out, 'axolotl-dpo.yaml'), 'utf8')).toContain('rl: dpo');
    expect(readdirSync(out).sort()).toEqual(['README.md', 'axolotl-dpo.yaml', 'dataset_info.json', 'dpo-openai', 'dpo-sharegpt', 'dpo-trl', 'kto', 'manifest.json', 'report.html']);
    // The same folder from worker threads (one thread above: a small input), scores applied late at merge time.
    const threaded = join(town.root, '..', 'dataset-jobs-2');
    const again = await forge(['run', '--format', 'dpo-trl,dpo-sharegpt,dpo-openai,kto', '--out', threaded, '--cache-dir', `${cacheDir}-jobs-2`, '--validation-ratio', '0', '--quiet', '--jobs', '2']);
    expect(again.exitCode, again.stderr).toBe(result.exitCode);
    const files = (folder: string) => Object.fromEntries(readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => [relative(folder, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name), 'utf8').replaceAll(folder, '<out>')]));
    expect(files(threaded)).toEqual(files(out));
  });
});

describe('evaluation scenarios and model A/B from the same town', () => {
  it('should write a Harbor task per closed bead whose reference diff applies to its base commit with the real git apply', { timeout: 240_000 }, async () => {
    const out = join(town.root, '..', 'scenarios');
    const result = await forge(['eval', 'extract', '--out', out, '--quiet']);
    expect(result.exitCode, result.stderr).toBeLessThanOrEqual(3);
    expect(readdirSync(join(out, 'tasks')).sort()).toEqual(['dm-a1b2', 'dm-c3d4']);
    expect(readdirSync(join(out, 'eval', 'prompts')).sort()).toEqual(['dm-a1b2.md', 'dm-c3d4.md']);
    const task = join(out, 'tasks', 'dm-a1b2');
    expect(readdirSync(task).sort()).toEqual(['environment', 'instruction.md', 'solution', 'task.toml', 'tests']);
    const toml = readFileSync(join(task, 'task.toml'), 'utf8');
    const base = /base_commit = "([0-9a-f]{40})"/u.exec(toml)![1]!;
    expect(toml).toContain('version = "1.0"');
    expect(toml).toContain('[verifier]');
    expect(toml).toContain('session = "' + ids.firstTry + '"');
    expect(readFileSync(join(task, 'instruction.md'), 'utf8')).toContain('# dm-a1b2: Greeting ends without a period');
    expect(readFileSync(join(task, 'tests', 'test.sh'), 'utf8')).toContain('( node test.js ) || status=1');
    expect(statSync(join(task, 'solution', 'solve.sh')).mode & 0o111).not.toBe(0);
    // The environment's repo.tar is the repository at the base commit; the reference diff applies there, and the checks pass.
    const work = mkdtempSync(join(tmpdir(), 'forge-scenario-'));
    execFileSync('tar', ['-xf', join(task, 'environment', 'repo.tar'), '-C', work]);
    expect(readFileSync(join(work, 'greet.js'), 'utf8')).toBe(files['greet.js']);
    execFileSync('git', ['init', '-q'], { cwd: work });
    execFileSync('git', ['apply', join(task, 'solution', 'reference.diff')], { cwd: work });
    expect(readFileSync(join(work, 'greet.js'), 'utf8')).toContain("'Hello, ' + name + '.'");
    expect(execFileSync('node', ['test.js'], { cwd: work, encoding: 'utf8' })).toBe('ok\n');
    // Both reference diffs apply to their base commits in a clone of the real repository (dm-c3d4's base is the reopened attempt's commit).
    const clone = mkdtempSync(join(tmpdir(), 'forge-scenario-clone-'));
    execFileSync('git', ['clone', '-q', town.rigRepo, clone]);
    for (const bead of ['dm-a1b2', 'dm-c3d4']) {
      const beadBase = /base_commit = "([0-9a-f]{40})"/u.exec(readFileSync(join(out, 'tasks', bead, 'task.toml'), 'utf8'))![1]!;
      execFileSync('git', ['checkout', '-q', '--force', beadBase], { cwd: clone });
      execFileSync('git', ['apply', join(out, 'tasks', bead, 'solution', 'reference.diff')], { cwd: clone, stdio: 'pipe' });
    }
    expect(base).toMatch(/^[0-9a-f]{40}$/u);
    expect(readFileSync(join(clone, 'farewell.js'), 'utf8')).toContain("'Goodbye, ' + name + '.'");
  });

  it('should apply forge.config.json\'s redaction block and scoring inputs to the scenarios, as forge run does', { timeout: 240_000 }, async () => {
    const out = join(town.root, '..', 'scenarios-configured');
    const config = join(town.root, '..', 'eval-config.json');
    writeFileSync(config, JSON.stringify({ redaction: { extraPatterns: [{ name: 'ticket-title', pattern: 'Greeting ends' }] }, beadsDirs: [town.beadsDir] }));
    const result = await forge(['eval', 'extract', '--out', out, '--quiet', '--config', config, '--cache-dir', cacheDir]);
    expect(result.exitCode, result.stderr).toBeLessThanOrEqual(3);
    expect(readdirSync(join(out, 'tasks')).sort()).toEqual(['dm-a1b2', 'dm-c3d4']);
    const instruction = readFileSync(join(out, 'tasks', 'dm-a1b2', 'instruction.md'), 'utf8');
    expect(instruction).toContain('# dm-a1b2: [REDACTED:ticket-title] without a period');
    expect(instruction).not.toContain('Greeting ends');
    // compare takes the same inputs (a beads store named as a flag) and gives the same figures.
    const plain = JSON.parse((await forge(['compare', '--by', 'source', '--json', '--quiet'])).stdout);
    const flagged = await forge(['compare', '--by', 'source', '--json', '--quiet', '--beads', town.beadsDir, '--config', config]);
    expect(flagged.exitCode, flagged.stderr).toBe(0);
    expect(JSON.parse(flagged.stdout)).toEqual(plain);
  });

  it('should compare sources with the hand-counted figures', { timeout: 240_000 }, async () => {
    if (process.env.PRINT_TOWN) console.log((await forge(['compare', '--by', 'source', '--quiet'])).stdout);
    const result = await forge(['compare', '--by', 'source', '--json', '--quiet']);
    expect(result.exitCode, result.stderr).toBe(0);
    const { groups, notes } = JSON.parse(result.stdout);
    const bySource = Object.fromEntries(groups.map((group: { group: string }) => [group.group, group]));
    // Claude Code: nux (dm-a1b2, first try, 7 turns, 6 calls) and furiosa's rework (dm-c3d4 attempt 2, 7 turns, 6 calls).
    expect(bySource['claude-code']).toMatchObject({ sessions: 2, beadsAttempted: 2, firstAttempts: 1, firstTryClosures: 1, firstTryClosureRate: 1, closedBeads: 2, toolCalls: 12, toolErrors: 0, toolErrorRate: 0, medianTurns: 7 });
    // Every scripted turn reports 20 + 40 + 1000 + 100 tokens: 14 turns over 2 closed beads.
    expect(bySource['claude-code'].tokensPerClosedBead).toBe((14 * 1160) / 2);
    // pi: furiosa's first attempt (5 turns, 4 calls), slit (3, 2), rictus (2, 1), the crew session's active branch (3, 1), toast (3, 2; dm-g7h8 closed without changes).
    expect(bySource.pi).toMatchObject({ sessions: 5, beadsAttempted: 3, firstAttempts: 3, firstTryClosures: 0, firstTryClosureRate: 0, closedBeads: 1, toolCalls: 10, toolErrors: 0, medianTurns: 3 });
    expect(bySource.pi.tokensPerClosedBead).toBe(16 * 1160);
    // pi recorded every response's cost: 16 turns over 1 closed bead. Claude Code records none: unknown, and said so.
    expect(bySource.pi).toMatchObject({ costUnknownSessions: 0, costPerClosedBead: 16 * costPerTurn });
    expect(bySource['claude-code']).toMatchObject({ costPerClosedBead: null, costUnknownSessions: 2 });
    const claudeModel = bySource['claude-code'].unpricedModels[0];
    expect(notes).toEqual(expect.arrayContaining([`claude-code: cost unknown for 2 of 2 sessions (no recorded cost, no price for ${claudeModel}): no cost per closed bead; --prices FILE prices them`]));
    // Wilson 95% for 0 of 3 and 1 of 1.
    expect(bySource.pi.firstTryClosureInterval).toEqual({ low: 0, high: 0.5615 });
    expect(bySource['claude-code'].firstTryClosureInterval).toEqual({ low: 0.2065, high: 1 });
    expect(notes).toEqual(expect.arrayContaining([expect.stringContaining('too small to tell apart: pi, claude-code')]));
  });

  it('should price the sessions with no recorded cost from --prices, keeping the costs the transcripts recorded', { timeout: 240_000 }, async () => {
    const unpriced = JSON.parse((await forge(['compare', '--by', 'source', '--json', '--quiet'])).stdout).groups.find((group: { group: string }) => group.group === 'claude-code');
    const prices = join(town.root, '..', 'prices.json');
    // Twice pi's price, under every model id the sessions name (pi's included): pi's recorded cost must win.
    const doubled = { input: 6, output: 30, cacheRead: 0.6, cacheWrite: 7.5 };
    writeFileSync(prices, JSON.stringify(Object.fromEntries([...unpriced.unpricedModels, 'claude-sonnet-4-5'].map((model: string) => [model, doubled]))));
    const result = await forge(['compare', '--by', 'source', '--json', '--quiet', '--prices', prices]);
    expect(result.exitCode, result.stderr).toBe(0);
    const { groups, notes } = JSON.parse(result.stdout);
    const bySource = Object.fromEntries(groups.map((group: { group: string }) => [group.group, group]));
    // Claude Code: 14 turns at twice 0.001335 over 2 closed beads; pi as recorded.
    expect(bySource['claude-code']).toMatchObject({ costUnknownSessions: 0, costPerClosedBead: Math.round(((14 * 2 * costPerTurn) / 2) * 1e6) / 1e6 });
    expect(bySource.pi.costPerClosedBead).toBe(16 * costPerTurn);
    expect(notes.some((note: string) => note.includes('cost unknown'))).toBe(false);
    const table = await forge(['compare', '--by', 'source', '--quiet', '--prices', prices]);
    if (process.env.PRINT_TOWN) console.log(JSON.stringify(doubled), table.stdout, (await forge(['compare', '--by', 'source', '--quiet'])).stdout);
    expect(table.stdout).toContain('USD/closed bead');
    const bad = join(town.root, '..', 'bad-prices.json');
    writeFileSync(bad, JSON.stringify({ 'claude-sonnet-4-5': { input: 'three', output: 15 } }));
    const refused = await forge(['compare', '--by', 'source', '--prices', bad]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('bad-prices.json');
  });
});
