import { describe, expect, it } from 'vitest';
import { type Message } from '@forge/schema';
import { ConversationStream, emptyPrepareStats, messageTurn, normalizeTurns } from './prepare-conversation.js';

/** Deterministic pseudo-random conversations with the shapes normalization must handle. */
function randomMessages(seed: number, length: number): Message[] {
  let state = seed >>> 0;
  const next = (limit: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % limit;
  };
  const messages: Message[] = [];
  const openCalls: string[] = [];
  let call = 0;
  for (let index = 0; index < length; index += 1) {
    const kind = next(10);
    const provenance = next(12) === 0 ? 'gastown-nudge' : next(15) === 0 ? 'harness' : 'conversation';
    const base = { reasoning: { state: 'absent' as const }, toolCalls: [], provenance, sourceIds: [] } as unknown as Message;
    if (kind < 2) messages.push({ ...base, role: 'user', text: next(6) === 0 ? '  ' : `prompt ${index}` });
    else if (kind < 6) {
      const calls = Array.from({ length: next(3) }, () => ({ id: next(20) === 0 && call > 0 ? `call-${next(call)}` : `call-${call++}`, name: next(2) === 0 ? 'bash' : 'read', arguments: next(8) === 0 ? 'not json' : `{"n":${index}}` }));
      openCalls.splice(0, openCalls.length, ...calls.map((made) => made.id));
      const reasoning = next(5) === 0 ? { state: 'present' as const, text: next(3) === 0 ? '' : `thinking ${index}` } : { state: 'absent' as const };
      messages.push({ ...base, role: 'assistant', text: next(3) === 0 ? '' : `answer ${index}`, toolCalls: calls, reasoning });
    } else {
      // Mostly the open calls' results in order; sometimes a stray, a repeat or a late one.
      const id = openCalls.length > 0 && next(6) !== 0 ? openCalls.shift()! : `call-${next(call + 1)}`;
      messages.push({ ...base, role: 'tool', text: '', toolResult: { toolCallId: id, toolName: 'bash', isError: next(9) === 0, text: `output ${index}` } });
    }
  }
  return messages;
}

describe('ConversationStream', () => {
  it('should give the turns normalizing the whole conversation at once gives, cut into parts as it goes', () => {
    let parts = 0;
    for (let seed = 1; seed <= 3000; seed += 1) {
      const messages = randomMessages(seed, 1 + (seed % 60));
      const wholeStats = emptyPrepareStats();
      const raw = messages.map((message) => messageTurn(message, {}, wholeStats, [])).filter((turn) => turn != null);
      const whole = normalizeTurns(raw, wholeStats);
      wholeStats.hollowReasoningTurns = whole.filter((turn) => turn.role === 'assistant' && turn.reasoning.state === 'hollow').length;
      const stream = new ConversationStream(undefined);
      const streamed = [];
      for (const message of messages) {
        const ready = stream.add(message);
        if (ready.length > 0) parts += 1;
        streamed.push(...ready);
      }
      streamed.push(...stream.finish());
      expect(streamed, `seed ${seed}`).toEqual(whole);
      expect(stream.stats, `seed ${seed}`).toEqual(wholeStats);
    }
    // The conversations were cut, not held whole.
    expect(parts).toBeGreaterThan(3000);
  });
});
