import { join } from 'node:path';
import { makeGasTownTown, type GasTownTown } from './gastown-town.js';
import { installAgent } from './install-agent.js';
import { runClaude } from './run-claude.js';
import { runPi } from './run-pi.js';
import { startStubModel } from './stub-model/start-stub-model.js';
import { type ScriptedTurn } from './stub-model/types.js';
import { makeTempHome } from './temp-home.js';

/** One agent run of {@link runBeadsTownScenario}: which attempt it was, and where its transcript is. */
export interface BeadsTownRun {
  key: 'firstTry' | 'reopened' | 'reworked';
  agent: 'claude' | 'pi';
  bead: string;
  /** The temp home the program ran in (its `.claude` or `.pi` holds the transcript). */
  home: string;
  /** The transcript (the main session file, not a subagent's). */
  file: string;
  cwd: string;
}

/** What {@link runBeadsTownScenario} left: the town (git, beads, town events) and the three transcripts. */
export interface BeadsTownScenario {
  town: GasTownTown;
  runs: BeadsTownRun[];
}

const usage = { input: 20, output: 40, cacheRead: 1000, cacheWrite: 100 };
const greetBefore = "module.exports = function greet(name) {\n  return 'Hello, ' + name;\n};\n";
const files = {
  'greet.js': greetBefore,
  'test.js': "const assert = require('node:assert');\nassert.strictEqual(require('./greet.js')('Ada').startsWith('Hello'), true);\nconsole.log('ok');\n",
};

function beacon(name: string, bead: string): string {
  const minute = new Date().toISOString().slice(0, 16);
  return `[GAS TOWN] polecat ${name} (rig: demo) <- witness • ${minute} • assigned:${bead}\n\nRun \`gt prime --hook\` and begin work on your hook.`;
}

/**
 * The real Claude Code and pi programs, driven by the loopback stub model, work two beads in a
 * temp Gas Town town the Gas Town way: claims, edits, commits (bead id in the subject, the
 * `Executed-By` trailer from the hook stand-in) and closes through real tool calls against real
 * git and the bd STAND-IN (the real bd cannot be installed here). dm-a1b2 is closed on the first
 * try (Claude Code); dm-c3d4 is closed (pi), reopened by the refinery, and closed by a second
 * attempt (Claude Code). The refinery merges both branches onto main under new SHAs.
 */
export async function runBeadsTownScenario(): Promise<BeadsTownScenario> {
  const [claude, pi] = await Promise.all([installAgent('claude'), installAgent('pi')]);
  const town = makeGasTownTown({ files });
  const runs: BeadsTownRun[] = [];
  town.bd('mayor', ['create', '--id', 'dm-a1b2', '--title', 'Greeting ends without a period', '--type', 'bug']);
  town.bd('mayor', ['create', '--id', 'dm-c3d4', '--title', 'Add farewell()', '--type', 'feature']);

  const sling = (bead: string, identity: string): void => {
    town.bd('mayor', ['update', bead, '--status=hooked', `--assignee=${identity}`]);
    town.townEvent('sling', 'mayor', { bead, target: identity });
  };
  const run = async (key: BeadsTownRun['key'], agent: BeadsTownRun['agent'], polecat: { cwd: string; identity: string }, name: string, bead: string, script: ScriptedTurn[]): Promise<void> => {
    const stub = await startStubModel({ script });
    try {
      const home = await makeTempHome();
      const env = town.agentEnv(polecat.identity, home);
      const args = [beacon(name, bead)];
      const result = agent === 'claude' ? await runClaude({ stub, cwd: polecat.cwd, home, env, args, agent: claude }) : await runPi({ stub, cwd: polecat.cwd, home, env, args, agent: pi });
      if (result.exitCode !== 0) throw new Error(`${agent} exited with ${result.exitCode}: ${result.stderr}`);
      const unserved = stub.unservedTurns();
      if (unserved.length > 0) throw new Error(`${agent} left ${unserved.length} scripted turns unserved`);
      const file = result.sessionFiles.find((path) => !path.includes('subagents'));
      if (file == null) throw new Error(`${agent} wrote no session file`);
      runs.push({ key, agent, bead, home, file, cwd: polecat.cwd });
    } finally {
      await stub.close();
    }
  };

  // 1. nux (Claude Code) closes dm-a1b2 on the first try.
  const nux = town.addPolecat('nux', 'dm-a1b2');
  sling('dm-a1b2', nux.identity);
  town.townEvent('spawn', 'gt', { rig: 'demo', polecat: 'nux' });
  await run('firstTry', 'claude', nux, 'nux', 'dm-a1b2', [
    { thinking: 'Claim the bead first.', toolCalls: [{ name: 'Bash', input: { command: 'bd update dm-a1b2 --claim', description: 'Claim' } }], usage },
    { toolCalls: [{ name: 'Read', input: { file_path: join(nux.cwd, 'greet.js') } }], usage },
    { text: 'Adding the period.', toolCalls: [{ name: 'Edit', input: { file_path: join(nux.cwd, 'greet.js'), old_string: "  return 'Hello, ' + name;", new_string: "  return 'Hello, ' + name + '.';" } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'node test.js', description: 'Test' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'git add greet.js && git commit -m "fix(greet): end the greeting with a period (dm-a1b2)"', description: 'Commit' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'bd close dm-a1b2 --reason "Closed"', description: 'Close' } }], usage },
    { text: 'The greeting now ends with a period; dm-a1b2 is closed.', usage },
  ]);
  town.townEvent('done', nux.identity, { bead: 'dm-a1b2', branch: nux.branch });
  // main moves on, so the refinery's replay gives new SHAs (like its rebase).
  town.merge(nux.branch);
  town.bd('demo/refinery', ['close', 'dm-a1b2', '--reason', 'Merged in dm-wisp-m1']);

  // 2. furiosa (pi) works dm-c3d4; the refinery rejects it and reopens the bead.
  const furiosa = town.addPolecat('furiosa', 'dm-c3d4');
  sling('dm-c3d4', furiosa.identity);
  await run('reopened', 'pi', furiosa, 'furiosa', 'dm-c3d4', [
    { toolCalls: [{ name: 'bash', input: { command: 'bd update dm-c3d4 --claim' } }], usage },
    { toolCalls: [{ name: 'write', input: { path: 'farewell.js', content: "module.exports = function farewell(name) {\n  return 'Bye ' + name;\n};\n" } }], usage },
    { toolCalls: [{ name: 'bash', input: { command: 'git add farewell.js && git commit -m "feat(farewell): add farewell() (dm-c3d4)"' } }], usage },
    { toolCalls: [{ name: 'bash', input: { command: 'bd close dm-c3d4' } }], usage },
    { text: 'Added farewell(); dm-c3d4 closed.', usage },
  ]);
  town.townEvent('done', furiosa.identity, { bead: 'dm-c3d4', branch: furiosa.branch });
  town.bd('demo/refinery', ['reopen', 'dm-c3d4', '--reason', 'FIX_NEEDED: farewell() must say Goodbye and end with a period']);

  // 3. furiosa again (Claude Code), second attempt: fixes the wording and closes it.
  sling('dm-c3d4', furiosa.identity);
  await run('reworked', 'claude', furiosa, 'furiosa', 'dm-c3d4', [
    { toolCalls: [{ name: 'Bash', input: { command: 'bd update dm-c3d4 --claim', description: 'Claim' } }], usage },
    { toolCalls: [{ name: 'Read', input: { file_path: join(furiosa.cwd, 'farewell.js') } }], usage },
    { toolCalls: [{ name: 'Edit', input: { file_path: join(furiosa.cwd, 'farewell.js'), old_string: "  return 'Bye ' + name;", new_string: "  return 'Goodbye ' + name;" } }], usage },
    { text: 'It must end with a period too.', toolCalls: [{ name: 'Edit', input: { file_path: join(furiosa.cwd, 'farewell.js'), old_string: "  return 'Goodbye ' + name;", new_string: "  return 'Goodbye, ' + name + '.';" } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'node test.js', description: 'Test' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'git commit -am "fix(farewell): say Goodbye, end with a period (dm-c3d4)"', description: 'Commit' } }], usage },
    { toolCalls: [{ name: 'Bash', input: { command: 'bd close dm-c3d4 --reason "Closed"', description: 'Close' } }], usage },
    { text: 'farewell() now says "Goodbye, <name>."; dm-c3d4 closed again.', usage },
  ]);
  town.townEvent('done', furiosa.identity, { bead: 'dm-c3d4', branch: furiosa.branch });
  town.merge(furiosa.branch);
  town.bd('demo/refinery', ['close', 'dm-c3d4', '--reason', 'Merged in dm-wisp-m2']);
  return { town, runs };
}
