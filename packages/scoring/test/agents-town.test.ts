// The real Claude Code and pi programs, driven by the loopback stub model, work beads in a temp
// Gas Town town: claims, edits, commits and closes happen through real tool calls against real
// git and the bd STAND-IN (tooling/test-agents: the real bd cannot be installed here). The
// transcripts they write are read by the real readers, linked and scored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClaudeSession } from '@forge/extract-claude';
import { readCommitPatches, readOutcomes } from '@forge/extract-outcomes';
import { readPiSession } from '@forge/extract-pir';
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
import { type Session, type SessionScore } from '@forge/schema';
import { indexOutcomes, linkSession, scoreSession } from '../src/index.js';

const usage = { input: 20, output: 40, cacheRead: 1000, cacheWrite: 100 };
const greetBefore = "module.exports = function greet(name) {\n  return 'Hello, ' + name;\n};\n";
const files = {
  'greet.js': greetBefore,
  'test.js': "const assert = require('node:assert');\nassert.strictEqual(require('./greet.js')('Ada').startsWith('Hello'), true);\nconsole.log('ok');\n",
};

let town: GasTownTown;
let claude: InstalledAgent;
let pi: InstalledAgent;
const transcripts: { key: 'firstTry' | 'reopened' | 'reworked'; session: Session }[] = [];
const scores = new Map<string, SessionScore>();
const worktrees = new Map<string, string>();


async function runScript(agent: 'claude' | 'pi', cwd: string, identity: string, prompt: string, script: ScriptedTurn[]): Promise<Session> {
  const stub = await startStubModel({ script });
  try {
    const home = await makeTempHome();
    const env = town.agentEnv(identity, home);
    const run = agent === 'claude' ? await runClaude({ stub, cwd, home, env, args: [prompt], agent: claude }) : await runPi({ stub, cwd, home, env, args: [prompt], agent: pi });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(stub.unservedTurns()).toEqual([]);
    const file = run.sessionFiles.find((path) => !path.includes('subagents'));
    const sessions = agent === 'claude' ? await readClaudeSession(file!) : await readPiSession(file!);
    return sessions[0]!;
  } finally {
    await stub.close();
  }
}

beforeAll(async () => {
  [claude, pi] = await Promise.all([installAgent('claude'), installAgent('pi')]);
  town = makeGasTownTown({ files });
  town.bd('mayor', ['create', '--id', 'dm-a1b2', '--title', 'Greeting ends without a period', '--type', 'bug']);
  town.bd('mayor', ['create', '--id', 'dm-c3d4', '--title', 'Add farewell()', '--type', 'feature']);

  // 1. nux (Claude Code) closes dm-a1b2 on the first try.
  const nux = town.addPolecat('nux', 'dm-a1b2');
  worktrees.set('nux', nux.cwd);
  town.sling('dm-a1b2', nux.identity);
  town.townEvent('spawn', 'gt', { rig: 'demo', polecat: 'nux' });
  const first = await runScript('claude', nux.cwd, nux.identity, town.beacon('nux', 'dm-a1b2'), [
    { thinking: 'Claim the bead first.', toolCalls: [{ name: 'Bash', input: { command: 'bd update dm-a1b2 --claim', description: 'Claim' } }], usage },
    { toolCalls: [{ name: 'Read', input: { file_path: join(nux.cwd, 'greet.js') } }], usage },
    { text: 'Adding the period.', toolCalls: [{ name: 'Edit', input: { file_path: join(nux.cwd, 'greet.js'), old_string: "  return 'Hello, ' + name;", new_string: "  return 'Hello, ' + name + '.';" } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'node test.js', description: 'Test' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'git add greet.js && git commit -m "fix(greet): end the greeting with a period (dm-a1b2)"', description: 'Commit' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'bd close dm-a1b2 --reason "Closed"', description: 'Close' } }], usage },
    { text: 'The greeting now ends with a period; dm-a1b2 is closed.', usage },
  ]);
  transcripts.push({ key: 'firstTry', session: first });
  town.townEvent('done', nux.identity, { bead: 'dm-a1b2', branch: nux.branch });
  // main moves on, so the refinery's replay gives new SHAs (like its rebase).
  town.merge(nux.branch);
  town.bd('demo/refinery', ['close', 'dm-a1b2', '--reason', 'Merged in dm-wisp-m1']);

  // 2. furiosa (pi) works dm-c3d4; the refinery rejects it and reopens the bead.
  const furiosa = town.addPolecat('furiosa', 'dm-c3d4');
  worktrees.set('furiosa', furiosa.cwd);
  town.sling('dm-c3d4', furiosa.identity);
  const second = await runScript('pi', furiosa.cwd, furiosa.identity, town.beacon('furiosa', 'dm-c3d4'), [
    { toolCalls: [{ name: 'bash', input: { command: 'bd update dm-c3d4 --claim' } }], usage },
    { toolCalls: [{ name: 'write', input: { path: 'farewell.js', content: "module.exports = function farewell(name) {\n  return 'Bye ' + name;\n};\n" } }], usage },
    { toolCalls: [{ name: 'bash', input: { command: 'git add farewell.js && git commit -m "feat(farewell): add farewell() (dm-c3d4)"' } }], usage },
    { toolCalls: [{ name: 'bash', input: { command: 'bd close dm-c3d4' } }], usage },
    { text: 'Added farewell(); dm-c3d4 closed.', usage },
  ]);
  transcripts.push({ key: 'reopened', session: second });
  town.townEvent('done', furiosa.identity, { bead: 'dm-c3d4', branch: furiosa.branch });
  town.bd('demo/refinery', ['reopen', 'dm-c3d4', '--reason', 'FIX_NEEDED: farewell() must say Goodbye and end with a period']);

  // 3. furiosa again (Claude Code), second attempt: fixes the wording and closes it.
  town.sling('dm-c3d4', furiosa.identity);
  const third = await runScript('claude', furiosa.cwd, furiosa.identity, town.beacon('furiosa', 'dm-c3d4'), [
    { toolCalls: [{ name: 'Bash', input: { command: 'bd update dm-c3d4 --claim', description: 'Claim' } }], usage },
    { toolCalls: [{ name: 'Read', input: { file_path: join(furiosa.cwd, 'farewell.js') } }], usage },
    { toolCalls: [{ name: 'Edit', input: { file_path: join(furiosa.cwd, 'farewell.js'), old_string: "  return 'Bye ' + name;", new_string: "  return 'Goodbye ' + name;" } }], usage },
    { text: 'It must end with a period too.', toolCalls: [{ name: 'Edit', input: { file_path: join(furiosa.cwd, 'farewell.js'), old_string: "  return 'Goodbye ' + name;", new_string: "  return 'Goodbye, ' + name + '.';" } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'node test.js', description: 'Test' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'git commit -am "fix(farewell): say Goodbye, end with a period (dm-c3d4)"', description: 'Commit' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'bd close dm-c3d4 --reason "Closed"', description: 'Close' } }], usage },
    { text: 'farewell() now says "Goodbye, <name>."; dm-c3d4 closed again.', usage },
  ]);
  transcripts.push({ key: 'reworked', session: third });
  town.townEvent('done', furiosa.identity, { bead: 'dm-c3d4', branch: furiosa.branch });
  town.merge(furiosa.branch);
  town.bd('demo/refinery', ['close', 'dm-c3d4', '--reason', 'Merged in dm-wisp-m2']);

  // forge reads it all read-only: the files (no bd on this PATH), the town, git.
  const outcomes = await readOutcomes({ cwds: transcripts.map(({ session }) => session.cwd), claudeRoots: [], env: { PATH: '/usr/bin:/bin' } });
  const index = indexOutcomes(outcomes);
  for (const { session } of transcripts) {
    const linkage = linkSession(session, index);
    const patches = await readCommitPatches(linkage.repositoryId!, linkage.commits.map((link) => link.commit.sha));
    scores.set(session.id, scoreSession(session, index, { linkage, patches }));
  }
}, 600_000);

afterAll(() => {
  if (process.env.PRINT_SCORES) for (const score of scores.values()) console.log(JSON.stringify(score, null, 1));
});

function scoreOf(key: (typeof transcripts)[number]['key']): SessionScore {
  const session = transcripts.find((entry) => entry.key === key)!.session;
  return scores.get(session.id)!;
}

describe('sessions of the real agents in a temp Gas Town', () => {
  it('should read the stand-in bd state the agents wrote (issues, events, interactions)', () => {
    const issues = readFileSync(join(town.beadsDir, 'issues.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(issues.map((issue) => [issue.id, issue.status, issue.close_reason])).toEqual([
      ['dm-a1b2', 'closed', 'Merged in dm-wisp-m1'],
      ['dm-c3d4', 'closed', 'Merged in dm-wisp-m2'],
    ]);
    const events = readFileSync(join(town.beadsDir, 'backup', 'events.jsonl'), 'utf8');
    expect(events).toContain('"event_type":"reopened"');
  });

  it('should link each session to its bead with the claim and close calls the agent made', () => {
    for (const [key, bead] of [['firstTry', 'dm-a1b2'], ['reopened', 'dm-c3d4'], ['reworked', 'dm-c3d4']] as const) {
      const score = scoreOf(key);
      expect(score.outcome?.beads.map((entry) => entry.id)).toEqual([bead]);
      const details = score.outcome!.beads[0]!.evidence.map((evidence) => `${evidence.signal}: ${evidence.detail}`);
      expect(details).toEqual(expect.arrayContaining([`tool-call: bd update ${bead} --claim → ✓ Updated issue: ${bead} — ${bead === 'dm-a1b2' ? 'Greeting ends without a period' : 'Add farewell()'}`]));
      expect(details.some((detail) => detail.startsWith(`tool-call: bd close ${bead}`) && detail.includes(`✓ Closed ${bead}`))).toBe(true);
      expect(details.some((detail) => detail.startsWith('beacon:'))).toBe(true);
    }
  });

  it('should follow the lifecycles: first try, reopened attempt 1, rework attempt 2', () => {
    expect(scoreOf('firstTry').outcome?.beads[0]).toMatchObject({ status: 'closed', attempts: 1, firstTry: true, reopened: false, merged: true, attempt: 1, tier: 'first-try' });
    expect(scoreOf('reopened').outcome?.beads[0]).toMatchObject({ status: 'closed', attempts: 2, firstTry: false, reopened: true, attempt: 1, tier: 'reopened' });
    expect(scoreOf('reworked').outcome?.beads[0]).toMatchObject({ status: 'closed', attempts: 2, firstTry: false, reopened: true, merged: true, attempt: 2, tier: 'rework' });
  });

  it('should link the commits the agents made, landed on main under new SHAs, with the Executed-By trailer', () => {
    const first = scoreOf('firstTry').outcome!.commits;
    expect(first.map((commit) => [commit.subject, commit.landed])).toEqual([['fix(greet): end the greeting with a period (dm-a1b2)', true]]);
    expect(first[0]!.evidence.map((evidence) => evidence.signal)).toEqual(expect.arrayContaining(['tool-call', 'commit-subject', 'commit-trailer', 'branch']));
    const reworked = scoreOf('reworked').outcome!.commits.map((commit) => commit.subject);
    expect(reworked).toEqual(['fix(farewell): say Goodbye, end with a period (dm-c3d4)']);
    expect(scoreOf('reopened').outcome!.commits.map((commit) => commit.subject)).toEqual(['feat(farewell): add farewell() (dm-c3d4)']);
  });

  it('should measure code survival from the edits the agents made', () => {
    expect(scoreOf('firstTry').outcome?.codeSurvival).toBe(1);
    // The first rewording was replaced before the commit: 1 of 2 added lines survived.
    expect(scoreOf('reworked').outcome?.codeSurvival).toBe(0.5);
    expect(scoreOf('reopened').outcome?.codeSurvival).toBe(1);
  });

  it('should score first try > reworked > reopened', () => {
    expect(scoreOf('firstTry').score).toBeGreaterThan(scoreOf('reworked').score);
    expect(scoreOf('reworked').score).toBeGreaterThan(scoreOf('reopened').score);
  });

  it('should never write into the worktrees or the beads store while reading', () => {
    expect(readFileSync(join(worktrees.get('nux')!, '.beads', 'redirect'), 'utf8')).toBe('../../../mayor/rig/.beads\n');
  });
});
