import { describe, expect, it } from 'vitest';
import { detectGasTown } from './detect-gastown.js';
import { gasTownRoleFromCwd } from './gastown-role.js';
import { findBeadIds, isGasTownBeacon, isGasTownNudge, parseGasTownBeacon } from './gastown-text.js';

describe('gasTownRoleFromCwd', () => {
  it.each([
    ['/home/ubuntu/gt/deacon', { role: 'deacon', townRoot: '/home/ubuntu/gt' }],
    ['/home/ubuntu/gt/mayor', { role: 'mayor', townRoot: '/home/ubuntu/gt' }],
    ['/home/ubuntu/gt/myrig/polecats/nux/myrig', { role: 'polecat', rig: 'myrig', name: 'nux', townRoot: '/home/ubuntu/gt' }],
    ['/home/ubuntu/gt/myrig/polecats/nux', { role: 'polecat', rig: 'myrig', name: 'nux' }],
    ['/home/ubuntu/gt/gastown/crew/max/src', { role: 'crew', rig: 'gastown', name: 'max' }],
    ['/home/ubuntu/gt/gastown/witness', { role: 'witness', rig: 'gastown' }],
    ['/home/ubuntu/gt/gastown/refinery/rig', { role: 'refinery', rig: 'gastown' }],
    ['/home/ubuntu/gt/gastown/mayor/rig', { role: 'mayor', rig: 'gastown' }],
    ['/home/ubuntu/gt/deacon/dogs/boot', { role: 'boot' }],
    ['/home/ubuntu/gt/deacon/dogs/rex/gastown', { role: 'dog', name: 'rex' }],
    ['/srv/town/myrig/polecats/toast/myrig', { role: 'polecat', rig: 'myrig', name: 'toast', townRoot: '/srv/town' }],
  ])('should read %s', (cwd, expected) => {
    expect(gasTownRoleFromCwd(cwd)).toMatchObject(expected);
  });

  it.each(['/home/dev/work/acme-api', '/home/ubuntu/gt', '/'])('should find no role in %s', (cwd) => {
    expect(gasTownRoleFromCwd(cwd)).toBeUndefined();
  });
});

describe('parseGasTownBeacon', () => {
  it('should parse recipient, sender, time, topic and bead', () => {
    const text = '[GAS TOWN] polecat rust (rig: gastown) <- witness • 2025-12-30T15:42 • assigned:gt-abc12\n\nRun `gt prime --hook` and begin work.';
    expect(parseGasTownBeacon(text)).toEqual({
      recipient: 'polecat rust (rig: gastown)',
      sender: 'witness',
      time: '2025-12-30T15:42',
      topic: 'assigned',
      beadId: 'gt-abc12',
    });
    expect(isGasTownBeacon(text)).toBe(true);
  });

  it('should parse a beacon without a bead and reject ordinary text', () => {
    expect(parseGasTownBeacon('[GAS TOWN] deacon <- daemon • 2026-08-10T09:15 • patrol')).toMatchObject({ topic: 'patrol', recipient: 'deacon' });
    expect(parseGasTownBeacon('Fix the failing test in utils.ts')).toBeUndefined();
  });
});

describe('isGasTownNudge', () => {
  it('should recognise nudges and merge notices but not user prose', () => {
    expect(isGasTownNudge('[from gastown/witness] are you stuck?')).toBe(true);
    expect(isGasTownNudge('MERGED: gt-mr-abc1234567 issue=gt-k3m9p branch=polecat/nux/gt-k3m9p')).toBe(true);
    expect(isGasTownNudge('please merge the branch when tests pass')).toBe(false);
  });
});

describe('findBeadIds', () => {
  it('should find work beads and leave agent, wisp and merge-request ids out', () => {
    const text = 'Working gt-k3m9p and gt-5hb1t.1; wisp gt-wisp-4tq8e; agent gt-gastown-polecat-nux; mr gt-mr-abc1234567; see pre-commit.';
    expect(findBeadIds(text)).toEqual(['gt-k3m9p', 'gt-5hb1t.1']);
  });

  it('should accept any hash shape for known prefixes', () => {
    expect(findBeadIds('closes gt-abcd and bd-a3f2, not xx-zzzz', ['gt', 'bd'])).toEqual(['gt-abcd', 'bd-a3f2']);
  });
});

describe('detectGasTown', () => {
  it('should combine the cwd place with the beacon bead', () => {
    expect(
      detectGasTown({
        cwd: '/home/ubuntu/gt/myrig/polecats/nux/myrig',
        firstUserText: '[GAS TOWN] polecat nux (rig: myrig) <- witness • 2026-08-11T16:40 • assigned:gt-k3m9p',
      }),
    ).toMatchObject({ role: 'polecat', rig: 'myrig', name: 'nux', beadIds: ['gt-k3m9p'], beacon: { sender: 'witness' } });
  });

  it('should fall back to the beacon recipient when the cwd is not a town', () => {
    expect(detectGasTown({ cwd: '/tmp/x', firstUserText: '[GAS TOWN] gastown/polecats/toast <- mayor • 2026-01-02T10:00 • start' })).toMatchObject({
      role: 'polecat',
      rig: 'gastown',
      name: 'toast',
      beadIds: [],
    });
  });

  it('should take the bead from a polecat branch', () => {
    expect(detectGasTown({ cwd: '/tmp/x', gitBranch: 'polecat/nux/gt-k3m9p@mbx1' })).toMatchObject({ role: 'polecat', name: 'nux', beadIds: ['gt-k3m9p'] });
  });

  it('should say nothing about an ordinary session', () => {
    expect(detectGasTown({ cwd: '/home/dev/work/acme-api', firstUserText: 'Add a health endpoint' })).toBeUndefined();
  });
});
