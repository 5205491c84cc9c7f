import { describe, expect, it } from 'vitest';
import { findBeadCalls, settleBeadCall } from './bead-commands.js';

describe('findBeadCalls', () => {
  it('should find closes, claims and status updates through &&, ;, pipes, subshells and newlines', () => {
    const command = [
      'cd rig && BD_ACTOR=myrig/polecats/nux bd --actor nux update gt-k3m9p --claim',
      'bd update gt-8yn --status=blocked --notes "waiting on gt-abc12"; /usr/local/bin/bd close gt-k3m9p gt-5hb1t.1 -r \'Fixed; see "notes"\' | tee log',
      'echo $(gt close gt-x9q2 --reason done)',
    ].join('\n');
    expect(findBeadCalls(command)).toEqual([
      { program: 'bd', command: 'update', beadIds: ['gt-k3m9p'], status: 'in_progress' },
      { program: 'bd', command: 'update', beadIds: ['gt-8yn'], status: 'blocked' },
      { program: 'bd', command: 'close', beadIds: ['gt-k3m9p', 'gt-5hb1t.1'], status: 'closed', reason: 'Fixed; see "notes"' },
      { program: 'gt', command: 'close', beadIds: ['gt-x9q2'], status: 'closed', reason: 'done' },
    ]);
  });

  it('should keep a quoted multi-line reason whole and take a backslash-newline as a continuation', () => {
    expect(findBeadCalls('bd close bd-a3f2 \\\n  --reason "line one\nline two"')).toEqual([
      { program: 'bd', command: 'close', beadIds: ['bd-a3f2'], status: 'closed', reason: 'line one\nline two' },
    ]);
  });

  it('should keep quotes, $(…) and backticks of an argument as text, expanding nothing', () => {
    const [call] = findBeadCalls(`bd close gt-k3m9p --reason 'it"s $(touch marker) \`touch marker\` $HOME'`);
    expect(call?.reason).toBe('it"s $(touch marker) `touch marker` $HOME');
  });

  it('should ignore reads, other programs, flag values and non-work ids', () => {
    expect(findBeadCalls('bd show gt-k3m9p && bd ready --json && git commit -m "close gt-k3m9p" && rbd close gt-k3m9p')).toEqual([]);
    expect(findBeadCalls('bd update gt-k3m9p --parent gt-abc12 --assignee gt-crew-max')).toEqual([
      { program: 'bd', command: 'update', beadIds: ['gt-k3m9p'] },
    ]);
    expect(findBeadCalls('bd close gt-wisp-4tq8e hq-cv-8nw2d')[0]?.beadIds).toEqual([]);
  });

  it('should mark creates and reopens as open', () => {
    expect(findBeadCalls('bd create "Fix flaky test" -p 1 -t bug && bd reopen gt-k3m9p')).toEqual([
      { program: 'bd', command: 'create', beadIds: [], status: 'open' },
      { program: 'bd', command: 'reopen', beadIds: ['gt-k3m9p'], status: 'open' },
    ]);
  });
});

describe('settleBeadCall', () => {
  const close = { program: 'bd' as const, command: 'close' as const, beadIds: ['gt-k3m9p', 'gt-8yn'], status: 'closed' };

  it('should confirm a close only when bd printed its success line for every bead', () => {
    const both = settleBeadCall(close, 't1', '✓ Closed gt-k3m9p: Fixed\n✓ Closed gt-8yn: Fixed\n', false);
    expect(both).toMatchObject({ toolCallId: 't1', isError: false, confirmed: true });
    const one = settleBeadCall(close, 't1', '✓ Closed gt-k3m9p: Fixed\nError closing gt-8yn: not found\n', false);
    expect(one.confirmed).toBe(false);
    expect(settleBeadCall(close, 't1', '✓ Closed gt-k3m9p: x\n✓ Closed gt-8yn: x', true).confirmed).toBe(false);
  });

  it('should read the created id from bd create text or --json output', () => {
    const create = { program: 'bd' as const, command: 'create' as const, beadIds: [], status: 'open' };
    expect(settleBeadCall(create, 't2', '✓ Created issue: gt-q7w2e — Fix flaky test\n  Priority: P1\n', false)).toMatchObject({ beadIds: ['gt-q7w2e'], confirmed: true });
    expect(settleBeadCall(create, 't2', '[{"id":"gt-q7w2e","title":"x"}]', false)).toMatchObject({ beadIds: ['gt-q7w2e'], confirmed: true });
    expect(settleBeadCall(create, 't2', 'Error: no database', true)).toMatchObject({ beadIds: [], confirmed: false });
  });

  it('should take the bead of a bare `bd close` (the last touched issue) from its success line', () => {
    const [bare] = findBeadCalls('bd close --reason done');
    expect(settleBeadCall(bare!, 't3', '✓ Closed gt-k3m9p: done\n', false)).toMatchObject({ beadIds: ['gt-k3m9p'], confirmed: true });
  });
});
