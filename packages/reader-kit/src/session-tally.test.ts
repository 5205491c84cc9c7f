import { type Message } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { SessionTally } from './session-tally.js';

const message = (role: Message['role'], text: string, extra: Partial<Message> = {}): Message => ({ role, text, reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation', ...extra });

describe('SessionTally', () => {
  it('should sum usage, list models and levels in first-use order, and take the first typed prompt', () => {
    const tally = new SessionTally();
    tally.add(message('user', '<system-reminder>x</system-reminder>', { provenance: 'system-reminder' }));
    tally.add(message('user', '[GAS TOWN] polecat nux (rig: myrig) <- witness • 2026-08-11T16:40 • assigned:gt-k3m9p', { provenance: 'gastown-beacon' }));
    tally.add(message('assistant', 'a', { model: 'm1', thinkingLevel: 'high', usage: { input: 1, output: 2, cacheRead: 3, cacheWrite: 4 } }));
    tally.add(message('user', 'later prompt'));
    tally.add(message('assistant', 'b', { model: 'm2', thinkingLevel: 'low', usage: { input: 10, output: 20, cacheRead: 30, cacheWrite: 40 } }));
    tally.add(message('assistant', 'c', { model: 'm1', thinkingLevel: 'high' }));
    expect(tally.usage).toEqual({ input: 11, output: 22, cacheRead: 33, cacheWrite: 44 });
    expect(tally.models).toEqual(['m1', 'm2']);
    expect(tally.thinkingLevels).toEqual(['high', 'low']);
    expect(tally.firstUserText).toMatch(/^\[GAS TOWN\]/u);
    expect(tally.gastown('/home/ubuntu/gt/myrig/polecats/nux/myrig')).toMatchObject({ role: 'polecat', rig: 'myrig', name: 'nux', beadIds: ['gt-k3m9p'] });
  });
});
