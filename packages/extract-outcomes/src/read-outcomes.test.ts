import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGitRepository, git, makeGasTownTown, sharedFixturesRoot } from '@forge-internal/test-agents';
import { readOutcomes } from './read-outcomes.js';

const gastown = join(sharedFixturesRoot, 'gastown');
const noBd = { PATH: '/usr/bin:/bin' };

/** A digest of every file under a folder (names, bytes, mtimes), to prove nothing was written. */
function fingerprint(folder: string): string {
  const hash = createHash('sha256');
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true }).sort((left, right) => join(left.parentPath, left.name).localeCompare(join(right.parentPath, right.name)))) {
    const path = join(entry.parentPath, entry.name);
    hash.update(`${path}\u0000${statSync(path).mtimeMs}\u0000`);
    if (entry.isFile()) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

describe('readOutcomes', () => {
  it('should read the Gas Town fixture from its files and say once that bd is not on PATH', async () => {
    const outcomes = await readOutcomes({ beadsDirs: [join(gastown, '.beads'), join(gastown, '.beads', 'backup')], townRoots: [join(gastown, 'gt')], claudeRoots: [], env: noBd });
    expect(outcomes.warnings.filter((warning) => warning.kind === 'tool-unavailable')).toHaveLength(1);
    const store = outcomes.stores.find((candidate) => candidate.dir === join(gastown, '.beads'))!;
    expect(store.origin).toBe('files');
    expect(store.beads.map((bead) => bead.id)).toEqual(['gt-5hb1t', 'gt-5hb1t.1', 'gt-k3m9p', 'gt-7fq2x', 'gt-c1x7n', 'gt-9yv3e', 'gt-2wn6c', 'gt-q4z8a', 'gt-wisp-b5n2d', 'gt-wisp-m7x3p', 'gt-wisp-h2v6n', 'gt-wisp-p8c1w']);
    expect(store.beads.find((bead) => bead.id === 'gt-wisp-p8c1w')?.mergeRequest).toMatchObject({ sourceIssue: 'gt-5hb1t.1', mergeCommit: 'f21d8d171e09ebf443e55a1e4b33a1658ad353bc' });
    const reopen = store.events.find((event) => event.kind === 'reopened');
    expect(reopen).toMatchObject({ issueId: 'gt-5hb1t.1', from: 'closed', to: 'in_progress', actor: 'gastown/polecats/furiosa', at: '2026-04-15T09:58:47.000Z', origin: 'events' });
    expect(reopen?.source.file).toBe(join(gastown, '.beads', 'backup', 'events.jsonl'));
    expect(outcomes.towns[0]?.events.find((event) => event.type === 'session_start')?.payload.session_id).toBe('3fad1321-1ad7-4c3b-9f02-faa5ea869a51');
  });

  it('should turn corrupt lines, unknown statuses and unknown event types into warnings with file:line', async () => {
    const beads = join(mkdtempSync(join(tmpdir(), 'forge-outcomes-bad-')), '.beads');
    mkdirSync(join(beads, 'backup'), { recursive: true });
    writeFileSync(
      join(beads, 'issues.jsonl'),
      [
        JSON.stringify({ _type: 'issue', id: 'bd-a1', title: 'ok', status: 'open' }),
        'this is not json',
        JSON.stringify({ _type: 'issue', title: 'no id' }),
        JSON.stringify({ _type: 'issue', id: 'bd-a2', title: 'custom', status: 'needs_review' }),
        JSON.stringify({ _type: 'memory', key: 'x' }),
        '{"_type":"issue","id":"bd-a3"',
      ].join('\n'),
    );
    writeFileSync(
      join(beads, 'backup', 'events.jsonl'),
      [
        JSON.stringify({ id: 1, issue_id: 'bd-a1', event_type: 'status_changed', actor: 'x', old_value: 'open', new_value: 'in_progress', created_at: '2026-01-01 10:00:00' }),
        JSON.stringify({ id: 2, issue_id: 'bd-a1', event_type: 'teleported', actor: 'x', created_at: '2026-01-01T10:01:00Z' }),
        JSON.stringify({ id: 3, event_type: 'closed' }),
      ].join('\n'),
    );
    writeFileSync(join(beads, 'interactions.jsonl'), '{"id":"int-1","kind":"llm_call","created_at":"2026-01-01T10:00:00Z"}\n{broken\n');
    const outcomes = await readOutcomes({ beadsDirs: [beads], claudeRoots: [], env: noBd });
    const warnings = outcomes.warnings.map((warning) => `${warning.kind} ${warning.file.slice(beads.length + 1)}:${warning.line ?? '-'}`);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'invalid-json issues.jsonl:2',
        'invalid-record issues.jsonl:3',
        'unknown-status issues.jsonl:4',
        'truncated-line issues.jsonl:6',
        'unknown-entry-type backup/events.jsonl:2',
        'invalid-record backup/events.jsonl:3',
        'invalid-json interactions.jsonl:2',
      ]),
    );
    const store = outcomes.stores[0]!;
    expect(store.beads.map((bead) => [bead.id, bead.status])).toEqual([
      ['bd-a1', 'open'],
      ['bd-a2', 'needs_review'],
    ]);
    // An old dump's plain status words and zone-less times still decode (as UTC).
    expect(store.events[0]).toMatchObject({ kind: 'status', from: 'open', to: 'in_progress', at: '2026-01-01T10:00:00.000Z' });
  });

  it('should warn about a missing repository and a session folder that no longer exists, and go on', async () => {
    const notARepo = mkdtempSync(join(tmpdir(), 'forge-outcomes-norepo-'));
    const outcomes = await readOutcomes({ cwds: ['/nonexistent/gt/rig/polecats/x/rig', notARepo], claudeRoots: [], env: noBd });
    expect(outcomes.warnings.map((warning) => [warning.kind, warning.file])).toEqual([
      ['not-a-repository', '/nonexistent/gt/rig/polecats/x/rig'],
      ['not-a-repository', notARepo],
    ]);
    expect(outcomes.places.map((place) => place.repository)).toEqual([undefined, undefined]);
    const withGit = await readOutcomes({ gitDirs: [notARepo], claudeRoots: [], env: noBd });
    expect(withGit.warnings[0]).toMatchObject({ kind: 'not-a-repository', file: notARepo });
  });

  it('should use bd when it is on PATH, follow a worktree redirect, and write nothing', async () => {
    const town = makeGasTownTown({ files: { 'a.txt': 'a\n' } });
    town.bd('mayor', ['create', '--id', 'dm-x1y2', '--title', 'One']);
    const polecat = town.addPolecat('nux', 'dm-x1y2');
    town.bd('mayor', ['update', 'dm-x1y2', '--status=hooked', `--assignee=${polecat.identity}`]);
    git(polecat.cwd, ['commit', '-q', '--allow-empty', '-m', 'wip (dm-x1y2)']);
    town.townEvent('sling', 'mayor', { bead: 'dm-x1y2', target: polecat.identity });
    const before = fingerprint(join(town.root, '..'));
    const outcomes = await readOutcomes({ cwds: [polecat.cwd], beadIds: ['dm-x1y2'], claudeRoots: [], env: { PATH: `${town.binDir}:/usr/bin:/bin` } });
    expect(fingerprint(join(town.root, '..'))).toBe(before);
    expect(outcomes.warnings).toEqual([]);
    expect(outcomes.places).toEqual([{ cwd: polecat.cwd, beadsStore: town.beadsDir, repository: join(town.rigRepo, '.git'), town: town.root }]);
    expect(outcomes.stores.map((store) => [store.dir, store.origin, store.beads.map((bead) => `${bead.id}:${bead.status}:${bead.assignee}`)])).toEqual([[town.beadsDir, 'bd', ['dm-x1y2:hooked:demo/polecats/nux']]]);
    const repository = outcomes.repositories[0]!;
    expect(repository.defaultBranch).toBe('main');
    const wip = repository.commits.find((commit) => commit.subject === 'wip (dm-x1y2)');
    expect(wip).toMatchObject({ landed: false, branches: [polecat.branch] });
    expect(outcomes.towns[0]?.routes).toEqual([{ prefix: 'dm-', path: join(town.root, 'demo', 'mayor', 'rig') }]);
  });

  it('should fall back to the files, saying why, when bd fails', async () => {
    const town = makeGasTownTown({ files: { 'a.txt': 'a\n' } });
    town.bd('mayor', ['create', '--id', 'dm-z9z9', '--title', 'One']);
    const bin = mkdtempSync(join(tmpdir(), 'forge-broken-bd-'));
    writeFileSync(join(bin, 'bd'), '#!/bin/sh\necho "database is locked" >&2\nexit 3\n');
    chmodSync(join(bin, 'bd'), 0o755);
    const outcomes = await readOutcomes({ beadsDirs: [town.rigRepo], claudeRoots: [], env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(outcomes.warnings).toEqual([{ file: town.beadsDir, kind: 'tool-unavailable', message: expect.stringMatching(/exit code 3: database is locked.*reading the store's JSONL files/u) }]);
    expect(outcomes.stores[0]).toMatchObject({ origin: 'files', beads: [expect.objectContaining({ id: 'dm-z9z9' })] });
  });

  it('should shift event times that lag the issue timestamps by a whole time zone', async () => {
    const beads = join(mkdtempSync(join(tmpdir(), 'forge-outcomes-skew-')), '.beads');
    mkdirSync(join(beads, 'backup'), { recursive: true });
    const ids = ['sk-aa1', 'sk-bb2', 'sk-cc3'];
    writeFileSync(join(beads, 'issues.jsonl'), ids.map((id, position) => JSON.stringify({ _type: 'issue', id, status: 'closed', closed_at: `2026-03-0${position + 1}T23:14:58Z` })).join('\n'));
    writeFileSync(join(beads, 'backup', 'events.jsonl'), ids.map((id, position) => JSON.stringify({ id: position, issue_id: id, event_type: 'closed', actor: 'a', new_value: 'Closed', created_at: `2026-03-0${position + 1}T15:14:53Z` })).join('\n'));
    const outcomes = await readOutcomes({ beadsDirs: [beads], claudeRoots: [], env: noBd });
    expect(outcomes.stores[0]?.eventClockOffsetMs).toBe(8 * 3_600_000);
    expect(outcomes.stores[0]?.events[0]?.at).toBe('2026-03-01T23:14:53.000Z');
    expect(outcomes.warnings.some((warning) => /8 h behind/u.test(warning.message))).toBe(true);
  });

  it('should read Claude Code facets of the sessions asked for', async () => {
    const root = mkdtempSync(join(tmpdir(), 'forge-facets-'));
    mkdirSync(join(root, 'usage-data', 'facets'), { recursive: true });
    writeFileSync(join(root, 'usage-data', 'facets', 's-1.json'), JSON.stringify({ session_id: 's-1', outcome: 'mostly_achieved', claude_helpfulness: 'very_helpful', friction_counts: { buggy_code: 2 }, user_satisfaction_counts: { satisfied: 1 } }));
    writeFileSync(join(root, 'usage-data', 'facets', 's-2.json'), '{not json');
    const outcomes = await readOutcomes({ claudeRoots: [root], sessionIds: ['s-1', 's-2'], env: noBd });
    expect(outcomes.facets).toEqual([{ sessionId: 's-1', outcome: 'mostly_achieved', helpfulness: 'very_helpful', frictionCounts: { buggy_code: 2 }, satisfactionCounts: { satisfied: 1 }, source: { file: join(root, 'usage-data', 'facets', 's-1.json') } }]);
    expect(outcomes.warnings).toEqual([expect.objectContaining({ kind: 'invalid-json', file: join(root, 'usage-data', 'facets', 's-2.json') })]);
  });

  it('should list every commit once with landed and branch facts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forge-outcomes-git-'));
    createGitRepository(dir, [
      { author: 'nux', authorEmail: 'dev@example.com', authorDate: '2026-04-15T09:00:00Z', message: 'one (dm-aaa1)\n\nExecuted-By: demo/polecats/nux\n', files: { 'a.txt': 'a\n' } },
    ]);
    const outcomes = await readOutcomes({ gitDirs: [dir], claudeRoots: [], env: noBd });
    expect(outcomes.repositories[0]?.commits).toEqual([
      expect.objectContaining({ authorName: 'nux', authorTime: '2026-04-15T09:00:00.000Z', subject: 'one (dm-aaa1)', message: 'one (dm-aaa1)\n\nExecuted-By: demo/polecats/nux', landed: true, branches: [], parents: [] }),
    ]);
  });
});
