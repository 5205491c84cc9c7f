import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';
import { OUTCOMES_VERSION, type BeadsStore, type Outcomes, type Place, type SessionWarning } from '@forge/schema';
import { findBeadsDir, findTownRoot, followRedirect } from './find-beads-dir.js';
import { readBeadsStore } from './read-beads-store.js';
import { readFacets } from './read-facets.js';
import { locateRepository, readRepository } from './read-repository.js';
import { readTown } from './read-town.js';
import { readWithBd } from './read-with-bd.js';
import { findOnPath } from './run-program.js';
import { isFolder } from './is-folder.js';

/** Options of {@link readOutcomes}. */
export interface ReadOutcomesOptions {
  /** The sessions' working directories: each is walked up to its `.beads/`, its git repository and its town. */
  cwds?: readonly string[];
  /**
   * More beads stores (`--beads DIR`): a `.beads` folder, a folder holding one, or a table-dump
   * folder. The first one also stands for sessions whose cwd has no `.beads/` (or no longer exists).
   */
  beadsDirs?: readonly string[];
  /** More repositories (`--git DIR`): any folder inside one. The first one also stands for sessions whose cwd is in none. */
  gitDirs?: readonly string[];
  /** More Gas Town towns (folders holding `mayor/town.json`). */
  townRoots?: readonly string[];
  /** Claude Code config roots whose `usage-data/facets` to read; default `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
  claudeRoots?: readonly string[];
  /** Only these sessions' facets (default: every facets file). */
  sessionIds?: readonly string[];
  /** Bead ids the sessions name: asked of `bd show` when `bd list` lacks them (wisps, other rigs). */
  beadIds?: readonly string[];
  /** `auto` (default): use the bd CLI when it is on PATH; `never`: read the files only. */
  bd?: 'auto' | 'never';
  /** The environment (PATH for bd and git). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  homeDirectory?: string;
}

/**
 * Reads everything about task outcomes once for a run, read-only: beads stores (the bd CLI when it
 * is on PATH, else bd's JSONL files), Gas Town town events and routes, git history, Claude Code
 * facets. Bad input becomes `warnings` (file:line); this function does not throw for it.
 */
export async function readOutcomes(options: ReadOutcomesOptions = {}): Promise<Outcomes> {
  const env = options.env ?? process.env;
  const home = options.homeDirectory ?? homedir();
  const warnings: SessionWarning[] = [];
  const storeDirs = new Set<string>();
  const townRoots = new Set<string>((options.townRoots ?? []).map((root) => resolve(root)));
  const repositories = new Map<string, Set<string>>();
  const places: Place[] = [];

  const knownWorktrees: { root: string; id: string }[] = [];
  const repositoryOf = async (folder: string): Promise<string | undefined> => {
    const inside = knownWorktrees.find((worktree) => folder === worktree.root || folder.startsWith(worktree.root + sep));
    if (inside != null) return inside.id;
    const located = await locateRepository(folder, env);
    if (located == null) return undefined;
    knownWorktrees.push(located);
    knownWorktrees.sort((left, right) => right.root.length - left.root.length);
    const worktrees = repositories.get(located.id) ?? new Set<string>();
    worktrees.add(located.root);
    repositories.set(located.id, worktrees);
    return located.id;
  };

  for (const cwd of [...new Set((options.cwds ?? []).map((folder) => resolve(folder)))].sort()) {
    const place: Place = { cwd };
    if (!isFolder(cwd)) {
      if ((options.gitDirs ?? []).length === 0) warnings.push({ file: cwd, kind: 'not-a-repository', message: 'session folder does not exist on this machine: no beads, git or town outcomes for its sessions (give --git/--beads)' });
      places.push(place);
      continue;
    }
    const beadsDir = findBeadsDir(cwd);
    if (beadsDir != null) {
      place.beadsStore = beadsDir;
      storeDirs.add(beadsDir);
    }
    const town = findTownRoot(cwd);
    if (town != null) {
      place.town = town;
      townRoots.add(town);
    }
    const repository = await repositoryOf(cwd);
    if (repository != null) place.repository = repository;
    else if ((options.gitDirs ?? []).length === 0) warnings.push({ file: cwd, kind: 'not-a-repository', message: 'session folder is not inside a git repository: no commits are linked for its sessions' });
    places.push(place);
  }
  let fallbackStore: string | undefined;
  for (const dir of options.beadsDirs ?? []) {
    const resolved = resolveBeadsDir(resolve(dir));
    if (resolved == null) warnings.push({ file: resolve(dir), kind: 'unreadable-file', message: 'beads folder not found (give a .beads folder, a folder holding one, or a dump folder)' });
    else {
      storeDirs.add(resolved);
      fallbackStore ??= resolved;
    }
  }
  let fallbackRepository: string | undefined;
  for (const dir of options.gitDirs ?? []) {
    const folder = resolve(dir);
    const repository = await repositoryOf(folder);
    if (repository == null) warnings.push({ file: folder, kind: 'not-a-repository', message: 'not a git repository (or git is not installed); its commits are not read' });
    fallbackRepository ??= repository;
  }
  for (const place of places) {
    if (place.beadsStore == null && fallbackStore != null) place.beadsStore = fallbackStore;
    if (place.repository == null && fallbackRepository != null) place.repository = fallbackRepository;
  }

  const towns = [];
  for (const root of [...townRoots].sort()) {
    const town = await readTown(root, warnings);
    towns.push(town);
    for (const route of town.routes) {
      const routed = join(route.path, '.beads');
      if (isFolder(routed)) storeDirs.add(followRedirect(routed));
    }
  }

  const stores = await readStores([...storeDirs].sort(), options, env, warnings);
  const repositoryList = [];
  for (const [id, worktrees] of [...repositories].sort(([left], [right]) => left.localeCompare(right))) {
    repositoryList.push(await readRepository(id, [...worktrees], env, warnings));
  }
  const claudeRoots = options.claudeRoots ?? [env.CLAUDE_CONFIG_DIR ?? join(home, '.claude')];
  const facets = await readFacets(claudeRoots, options.sessionIds, warnings);
  return { outcomesVersion: OUTCOMES_VERSION, stores, towns, repositories: repositoryList, places, facets, warnings };
}

async function readStores(dirs: string[], options: ReadOutcomesOptions, env: Readonly<Record<string, string | undefined>>, warnings: SessionWarning[]): Promise<BeadsStore[]> {
  const bd = options.bd === 'never' || dirs.length === 0 ? undefined : findOnPath('bd', env);
  if (options.bd !== 'never' && dirs.length > 0 && bd == null) {
    warnings.push({ file: 'bd', kind: 'tool-unavailable', message: 'bd is not on PATH: reading the beads stores from their JSONL files (issues.jsonl export, backup dumps, interactions.jsonl)' });
  }
  const stores: BeadsStore[] = [];
  for (const dir of dirs) {
    const fromBd = bd == null ? undefined : await readWithBd(dir, options.beadIds ?? [], { bd, env }, warnings);
    stores.push(await readBeadsStore(dir, warnings, fromBd == null ? {} : { fromBd }));
  }
  return stores;
}

/** A `--beads` argument as a store folder: `.beads` (redirect followed), a folder holding `.beads`, or a dump folder. */
function resolveBeadsDir(dir: string): string | undefined {
  if (!isFolder(dir)) return undefined;
  if (basename(dir) === '.beads') return followRedirect(dir);
  if (isFolder(join(dir, '.beads'))) return followRedirect(join(dir, '.beads'));
  return existsSync(dir) ? dir : undefined;
}

