import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitRepository, git, gitEnv } from './git-repository.js';
import { bdStandInScript, installBdStandIn } from './install-bd-stand-in.js';
import { baseAgentEnv } from './run-agent-process.js';

/** A temporary Gas Town town with one rig, its beads store and the bd stand-in. */
export interface GasTownTown {
  /** The town root (`…/gt`, holding `mayor/town.json`). */
  root: string;
  rig: string;
  prefix: string;
  /** The rig's canonical clone (`<rig>/mayor/rig`), holding `.beads/`. */
  rigRepo: string;
  beadsDir: string;
  /** Folder with the `bd` stand-in; put it first on PATH. */
  binDir: string;
  /** Runs the bd stand-in as `actor` in the rig clone; returns stdout. */
  bd(actor: string, args: string[]): string;
  /** Appends a line to the town's `.events.jsonl` as gt writes it. */
  townEvent(type: string, actor: string, payload: Record<string, unknown>): void;
  /** Creates the polecat's worktree on `polecat/<name>/<bead>@<base36 ms>` with a `.beads/redirect`; returns its folder and branch. */
  addPolecat(name: string, bead: string): { cwd: string; branch: string; identity: string };
  /** The environment Gas Town gives an agent (T2): identity, git author, PATH with the bd stand-in. */
  agentEnv(identity: string, home: string): Record<string, string>;
  /** The refinery's merge: the branch's commits replayed onto main (new SHAs, same authors and messages). */
  merge(branch: string): string[];
  /** The mayor's `gt sling`: the bead hooked to `identity` (bd) and the town's `sling` event. */
  sling(bead: string, identity: string): void;
  /** The startup beacon gt gives polecat `name` working `bead` (the agent's first prompt). */
  beacon(name: string, bead: string): string;
}

/**
 * Builds a town in a temp folder: `mayor/town.json`, `.beads/routes.jsonl`, the rig clone with an
 * initial commit of `files`, a beads store (`issue-prefix`), and bd's prepare-commit-msg hook
 * behaviour (the `Executed-By: $BD_ACTOR` trailer, gastown-beads.md §4) as a git hook stand-in.
 */
export function makeGasTownTown(options: { rig?: string; prefix?: string; files: Record<string, string> }): GasTownTown {
  const rig = options.rig ?? 'demo';
  const prefix = options.prefix ?? 'dm';
  const root = join(mkdtempSync(join(tmpdir(), 'forge-town-')), 'gt');
  mkdirSync(join(root, 'mayor'), { recursive: true });
  writeFileSync(join(root, 'mayor', 'town.json'), `${JSON.stringify({ type: 'town', version: 2, name: 'test-town' })}\n`);
  mkdirSync(join(root, '.beads'), { recursive: true });
  writeFileSync(join(root, '.beads', 'routes.jsonl'), `${JSON.stringify({ prefix: `${prefix}-`, path: `${rig}/mayor/rig` })}\n`);
  const rigRepo = join(root, rig, 'mayor', 'rig');
  createGitRepository(rigRepo, [{ author: 'Dev Owner', authorEmail: 'dev@example.com', authorDate: new Date(Date.now() - 3_600_000).toISOString(), message: 'initial import\n', files: options.files }]);
  const beadsDir = join(rigRepo, '.beads');
  mkdirSync(beadsDir, { recursive: true });
  writeFileSync(join(beadsDir, 'config.yaml'), `issue-prefix: ${prefix}\n`);
  writeFileSync(join(rigRepo, '.git', 'info', 'exclude'), '.beads/\n');
  // Stand-in for bd's prepare-commit-msg hook: Executed-By trailer from BD_ACTOR.
  const hook = join(rigRepo, '.git', 'hooks', 'prepare-commit-msg');
  writeFileSync(hook, '#!/bin/sh\n# Test stand-in for bd\'s prepare-commit-msg hook: appends `Executed-By: $BD_ACTOR`.\n[ -n "$BD_ACTOR" ] || exit 0\ncase "$2" in merge|squash) exit 0 ;; esac\ngrep -q "^Executed-By:" "$1" || git interpret-trailers --in-place --trailer "Executed-By: $BD_ACTOR" "$1"\n');
  chmodSync(hook, 0o755);
  const binDir = join(root, '..', 'bin');
  installBdStandIn(binDir);

  return {
    root,
    rig,
    prefix,
    rigRepo,
    beadsDir,
    binDir,
    bd: (actor, args) => execFileSync(process.execPath, [bdStandInScript, ...args], { cwd: rigRepo, env: { ...gitEnv(), BD_ACTOR: actor }, encoding: 'utf8' }),
    townEvent: (type, actor, payload) => {
      appendFileSync(join(root, '.events.jsonl'), `${JSON.stringify({ ts: new Date().toISOString().replace(/\.\d{3}Z$/u, 'Z'), source: 'gt', type, actor, payload, visibility: 'feed' })}\n`);
    },
    addPolecat: (name, bead) => {
      const cwd = join(root, rig, 'polecats', name, rig);
      const branch = `polecat/${name}/${bead}@${Date.now().toString(36)}`;
      git(rigRepo, ['worktree', 'add', '-q', '-b', branch, cwd, 'main']);
      mkdirSync(join(cwd, '.beads'), { recursive: true });
      writeFileSync(join(cwd, '.beads', 'redirect'), '../../../mayor/rig/.beads\n');
      return { cwd, branch, identity: `${rig}/polecats/${name}` };
    },
    agentEnv: (identity, home) => {
      const name = identity.split('/').pop() ?? identity;
      return {
        PATH: `${binDir}:${baseAgentEnv(home).PATH}`,
        BD_ACTOR: identity,
        GT_ROLE: identity,
        GT_RIG: rig,
        GT_ROOT: root,
        GIT_AUTHOR_NAME: name,
        GIT_AUTHOR_EMAIL: 'dev@example.com',
        GIT_COMMITTER_NAME: name,
        GIT_COMMITTER_EMAIL: 'dev@example.com',
        GIT_CONFIG_NOSYSTEM: '1',
      };
    },
    sling(bead, identity) {
      this.bd('mayor', ['update', bead, '--status=hooked', `--assignee=${identity}`]);
      this.townEvent('sling', 'mayor', { bead, target: identity });
    },
    beacon: (name, bead) => `[GAS TOWN] polecat ${name} (rig: ${rig}) <- witness • ${new Date().toISOString().slice(0, 16)} • assigned:${bead}\n\nRun \`gt prime --hook\` and begin work on your hook.`,
    merge: (branch) => {
      const shas = git(rigRepo, ['rev-list', '--reverse', `main..${branch}`]).split('\n').filter((sha) => sha !== '');
      const env = { GIT_COMMITTER_NAME: `${rig}/refinery`, GIT_COMMITTER_EMAIL: 'dev@example.com' };
      for (const sha of shas) git(rigRepo, ['cherry-pick', '--allow-empty', sha], env);
      return git(rigRepo, ['rev-list', '--reverse', `HEAD~${shas.length}..HEAD`]).split('\n').filter((sha) => sha !== '');
    },
  };
}
