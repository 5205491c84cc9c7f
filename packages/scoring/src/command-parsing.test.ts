import { describe, expect, it } from 'vitest';
import { readBeadCommand } from './bead-commands.js';
import { splitShellCommands } from './shell-commands.js';
import { findCommitLines, findMarkers, findPrimeIdentity } from './stdout-markers.js';

describe('splitShellCommands', () => {
  it('should split at operators and unquoted newlines, keep quoted newlines, and drop env assignments and wrappers', () => {
    const line = 'cd /w && BD_ACTOR=x bd update gt-1 --claim; git commit -m "fix: a\nb (gt-1)" | cat\nsudo -E bd close gt-1 --reason "done it"';
    expect(splitShellCommands(line)).toEqual([
      ['cd', '/w'],
      ['bd', 'update', 'gt-1', '--claim'],
      ['git', 'commit', '-m', 'fix: a\nb (gt-1)'],
      ['cat'],
      ['bd', 'close', 'gt-1', '--reason', 'done it'],
    ]);
  });

  it('should keep variables as written and survive unbalanced quotes', () => {
    expect(splitShellCommands('echo $HOME')).toEqual([['echo', '$HOME']]);
    expect(() => splitShellCommands('echo "unterminated')).not.toThrow();
  });
});

describe('readBeadCommand', () => {
  const read = (words: string, identity = 'gastown/polecats/nux') => readBeadCommand(splitShellCommands(words)[0]!, identity);

  it('should tell work (claim, in_progress, reopen, close, gt done) from reading and notes', () => {
    expect(read('bd update gt-k3m9p --claim')).toMatchObject({ tool: 'bd', verb: 'update', ids: ['gt-k3m9p'], effect: 'start' });
    expect(read('bd update gt-k3m9p --status=in_progress')).toMatchObject({ effect: 'start' });
    expect(read('bd update gt-k3m9p --status in-progress')).toMatchObject({ effect: 'start' });
    expect(read('bd update gt-k3m9p --status=hooked --assignee=gastown/polecats/rictus')).toMatchObject({ effect: 'dispatch' });
    expect(read('bd --actor x update gt-k3m9p --notes "why"')).toMatchObject({ verb: 'update', effect: 'note' });
    expect(read('bd close gt-a1b gt-b2c.1 --reason "Closed"')).toMatchObject({ ids: ['gt-a1b', 'gt-b2c.1'], effect: 'finish' });
    expect(read('bd close bd-12')).toMatchObject({ ids: ['bd-12'] });
    expect(read('bd reopen gt-a1')).toMatchObject({ effect: 'start' });
    expect(read('bd create --title="x" --type=bug')).toMatchObject({ effect: 'create', ids: [] });
    expect(read('bd show gt-k3m9p --json')).toMatchObject({ effect: 'read' });
    expect(read('bd ready')).toMatchObject({ effect: 'read' });
    expect(read('/usr/local/bin/gt done')).toMatchObject({ tool: 'gt', effect: 'finish' });
  });

  it('should read gt sling to someone else as a dispatch and to oneself as work', () => {
    expect(read('gt sling gt-k3m9p gastown', 'mayor')).toMatchObject({ effect: 'dispatch', target: 'gastown' });
    expect(read('gt sling gt-k3m9p')).toMatchObject({ effect: 'start' });
    expect(read('gt hook gt-k3m9p')).toMatchObject({ effect: 'start' });
    expect(read('gt hook')).toMatchObject({ effect: 'read' });
    expect(read('git status')).toBeUndefined();
  });
});

describe('stdout markers', () => {
  it("should find bd's and gt's success lines, coloured or not", () => {
    const output = '\u001b[32m✓\u001b[0m Updated issue: gt-k3m9p — Witness sends duplicate nudges\n✓ Closed gt-9yv3e — Docs: Documented (commit 4e1b7c2)\n↻ Reopened gt-5hb1t.1: flaky\n✓ Created issue: gt-q4z8a — Flaky test\n  Issue: gt-k3m9p\nIssue gt-c1x7n closed (no MR needed)\n  Bead ID: gt-k3m9p';
    expect(findMarkers(output).map((marker) => `${marker.action} ${marker.id}`)).toEqual(['updated gt-k3m9p', 'closed gt-9yv3e', 'reopened gt-5hb1t.1', 'created gt-q4z8a', 'done gt-k3m9p', 'done gt-c1x7n', 'hooked gt-k3m9p']);
    expect(findMarkers('Error: issue gt-k3m9p not found')).toEqual([]);
  });

  it('should read git commit summaries and the gt prime session line', () => {
    expect(findCommitLines('[polecat/nux/gt-k3m9p@mnztkx6w d6fe2cc] fix(witness): x (gt-k3m9p)\n 1 file changed')).toEqual([
      { branch: 'polecat/nux/gt-k3m9p@mnztkx6w', sha: 'd6fe2cc', subject: 'fix(witness): x (gt-k3m9p)', line: '[polecat/nux/gt-k3m9p@mnztkx6w d6fe2cc] fix(witness): x (gt-k3m9p)' },
    ]);
    expect(findCommitLines('[main (root-commit) 0a1b2c3] initial')[0]).toMatchObject({ sha: '0a1b2c3', subject: 'initial' });
    expect(findPrimeIdentity('x\nGAS TOWN role:gastown/polecats/nux pid:1 session:abc\n')).toEqual({ identity: 'gastown/polecats/nux', sessionId: 'abc' });
    expect(findPrimeIdentity('[GAS TOWN] role:mayor pid:2')).toEqual({ identity: 'mayor' });
  });
});
