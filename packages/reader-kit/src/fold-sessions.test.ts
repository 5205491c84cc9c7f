import { SESSION_SCHEMA_VERSION, type Message, type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { foldSessions, sessionEvents } from './fold-sessions.js';
import { type SourceEvent } from './session-source.js';

function message(text: string): Message {
  return { role: 'user', text, reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' };
}

function session(id: string, messages: Message[]): Session {
  return {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id,
    source: 'pi',
    files: ['/s.jsonl'],
    cwd: '/w',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:01:00.000Z',
    models: [],
    branch: { leafId: null, isActive: true },
    isSubagent: false,
    usage: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 },
    messages,
    warnings: [],
    title: 'after the warnings',
  };
}

describe('foldSessions', () => {
  it('should rebuild the Sessions a stream sends, byte for byte, with file warnings and link facts beside them', async () => {
    const sessions = [session('a', [message('one'), message('two')]), session('b', []), session('c', [message('three')])];
    const events: SourceEvent[] = [
      ...sessions.flatMap((each) => [...sessionEvents(each)]),
      { kind: 'file-warning', warning: { file: '/s.jsonl', kind: 'empty-file', message: 'empty' } },
      { kind: 'link-facts', facts: { summaries: [['leaf', 'title']] } },
    ];
    const folded = await foldSessions(events);
    expect(JSON.stringify(folded.sessions)).toBe(JSON.stringify(sessions));
    expect(folded.fileWarnings).toEqual([{ file: '/s.jsonl', kind: 'empty-file', message: 'empty' }]);
    expect(folded.linkFacts).toEqual([{ summaries: [['leaf', 'title']] }]);
  });

  it('should fold an async stream', async () => {
    async function* stream(): AsyncGenerator<SourceEvent> {
      for (const event of sessionEvents(session('a', [message('one')]))) yield await Promise.resolve(event);
    }
    expect((await foldSessions(stream())).sessions.map((each) => each.messages.length)).toEqual([1]);
  });

  it('should refuse interleaved sessions and messages left without their session (reader bugs)', async () => {
    const [first] = [...sessionEvents(session('a', [message('one')]))];
    const [second] = [...sessionEvents(session('b', [message('two')]))];
    await expect(foldSessions([first!, second!])).rejects.toThrow(/session b arrived before session a ended/u);
    await expect(foldSessions([first!])).rejects.toThrow(/ended inside session a/u);
    await expect(foldSessions([first!, { kind: 'session', session: { ...session('b', []), messages: undefined } as never }])).rejects.toThrow(/session b ended/u);
  });
});
