// A session's scoring view (@forge/scoring `scoringView`) links and scores exactly as the session
// does, also after the JSON round trip a run spills it through: checked on every session forge
// reads in the repository (every reader's fixtures, the demo home, the scored Gas Town
// transcripts, transform's session fixtures), ../shared/fixtures, and the transcripts the real
// Claude Code and pi programs write while working beads in a temp town (the bd STAND-IN: the real
// bd cannot be installed here). Each is scored against the shared Gas Town snapshot (beads, town
// events, the rig's git history rebuilt with the real git), against no outcomes at all (bead ids
// then count by their shape alone), and the town's transcripts against the town.
// (OpenCode is left out: no OpenCode database is kept in the repository.)
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommitPatches, readOutcomes } from '@forge/extract-outcomes';
import { createGitRepository, demoHome, runBeadsTownScenario, sharedFixturesRoot, type FixtureCommit } from '@forge-internal/test-agents';
import { indexOutcomes, linkSession, scoreSession, scoringView, type OutcomeIndex, type SessionLinkage } from '@forge/scoring';
import { ForgeError, type Session } from '@forge/schema';
import { readSessionFile } from '../sources/source-registry.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const gastownFixtures = join(repoRoot, 'packages', 'scoring', 'test', 'fixtures', 'gastown');
const env = { PATH: '/usr/bin:/bin' };

interface Case {
  name: string;
  sessions: Session[];
  index: OutcomeIndex;
}

let work: string;
const cases: Case[] = [];

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.jsonl?$/u.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Every session the readers find in the files under the folders (files no reader claims are not sessions). */
async function readSessionsUnder(folders: readonly string[]): Promise<Session[]> {
  const sessions: Session[] = [];
  for (const file of folders.flatMap(filesUnder)) {
    if (file.endsWith('.session.json')) {
      sessions.push(JSON.parse(readFileSync(file, 'utf8')) as Session);
      continue;
    }
    try {
      sessions.push(...(await readSessionFile(file)).sessions);
    } catch (error) {
      if (!(error instanceof ForgeError && error.message.includes('not a session file of any source'))) throw error;
    }
  }
  return sessions;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'forge-scoring-view-'));
  const sessions = await readSessionsUnder([
    ...readdirSync(join(repoRoot, 'packages')).flatMap((name) => ['src/__fixtures__', 'fixtures', 'test/fixtures'].map((folder) => join(repoRoot, 'packages', name, folder))).filter((folder) => {
      try {
        return readdirSync(folder).length > 0;
      } catch {
        return false;
      }
    }),
    demoHome,
    sharedFixturesRoot,
  ]);
  const repo = JSON.parse(readFileSync(join(gastownFixtures, 'repo.json'), 'utf8')) as { commits: FixtureCommit[] };
  createGitRepository(join(work, 'gastown'), repo.commits);
  const gastown = await readOutcomes({
    cwds: sessions.map((session) => session.cwd),
    beadsDirs: [join(sharedFixturesRoot, 'gastown', '.beads')],
    townRoots: [join(sharedFixturesRoot, 'gastown', 'gt')],
    gitDirs: [join(work, 'gastown')],
    claudeRoots: [],
    bd: 'never',
    env,
  });
  cases.push({ name: 'fixtures against the Gas Town snapshot', sessions, index: indexOutcomes(gastown) });
  cases.push({ name: 'fixtures against no outcomes', sessions, index: indexOutcomes(await readOutcomes({ cwds: [], claudeRoots: [], bd: 'never', env })) });

  const scenario = await runBeadsTownScenario();
  const town = (await Promise.all(scenario.runs.map((run) => readSessionFile(run.file)))).flatMap((read) => read.sessions);
  const townOutcomes = await readOutcomes({ cwds: town.map((session) => session.cwd), claudeRoots: [], bd: 'never', env });
  cases.push({ name: 'real agents in a temp town', sessions: town, index: indexOutcomes(townOutcomes) });
}, 600_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** The linkage with its tool calls' result texts left out: those are what a view shortens (the scores prove nothing read them). */
function comparable(linkage: SessionLinkage): unknown {
  return {
    ...linkage,
    toolUses: linkage.toolUses.map(({ result, ...use }) => ({ ...use, result: result == null ? null : { index: result.index, isError: result.isError } })),
  };
}

describe('scoringView', () => {
  it('should read sessions of every reader with fixtures in the repository and the real agents', () => {
    const sources = new Set(cases.flatMap((entry) => entry.sessions.map((session) => session.source)));
    expect([...sources].sort()).toEqual(['claude-code', 'codex', 'gemini', 'omp', 'pi', 'pir']);
    expect(cases[0]!.sessions.length).toBeGreaterThan(40);
    expect(cases[2]!.sessions).toHaveLength(3);
  });

  it('should link and score every session exactly as the session itself, also after a JSON round trip', async () => {
    const seen = { worked: 0, mentioned: 0, commits: 0, edits: 0 };
    for (const { name, sessions, index } of cases) {
      for (const session of sessions) {
        const view = scoringView(session);
        const spilled = JSON.parse(JSON.stringify(view)) as typeof view;
        const where = `${name}: ${session.source} ${session.files[0] ?? ''} ${session.id}`;
        const linkage = linkSession(session, index);
        expect(comparable(linkSession(view, index)), where).toEqual(comparable(linkage));
        expect(comparable(linkSession(spilled, index)), where).toEqual(comparable(linkage));
        const shas = linkage.commits.map((link) => link.commit.sha);
        const patches = linkage.repositoryId == null || shas.length === 0 ? [] : await readCommitPatches(linkage.repositoryId, shas, { env });
        const score = scoreSession(session, index, { patches });
        expect(scoreSession(view, index, { patches }), where).toEqual(score);
        expect(scoreSession(spilled, index, { patches }), where).toEqual(score);
        seen.worked += linkage.links.beads.filter((bead) => bead.role === 'worked').length;
        seen.mentioned += linkage.links.beads.filter((bead) => bead.role === 'mentioned').length;
        seen.commits += linkage.commits.length;
        if (score.signals.codeSurvival?.value != null) seen.edits += 1;
      }
    }
    if (process.env.PRINT_SEEN) console.log(seen, cases.map((entry) => entry.sessions.length));
    // The comparison means something: sessions with worked and mentioned beads, commits and code survival.
    expect(seen.worked).toBeGreaterThan(10);
    expect(seen.mentioned).toBeGreaterThan(10);
    expect(seen.commits).toBeGreaterThan(5);
    expect(seen.edits).toBeGreaterThan(2);
  }, 120_000);

  it('should keep a fraction of the sessions’ bytes', () => {
    const sessions = cases[0]!.sessions;
    const bytes = (values: unknown[]): number => values.reduce<number>((total, value) => total + Buffer.byteLength(JSON.stringify(value)), 0);
    expect(bytes(sessions.map(scoringView)) / bytes(sessions)).toBeLessThan(0.25);
  });
});
