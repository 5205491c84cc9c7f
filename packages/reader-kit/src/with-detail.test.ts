import { Readable } from 'node:stream';
import { SESSION_SCHEMA_VERSION, summarizeSession, type Message, type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { foldSessions, sessionEvents } from './fold-sessions.js';
import { type SourceEvent } from './session-source.js';
import { withDetail } from './with-detail.js';

const usage = { input: 3, output: 40, cacheRead: 1200, cacheWrite: 80 };

/** One of each kind of message a summary counts: typed prompts, noise, thinking, calls, a failed result. */
function session(): Session {
  const base = { reasoning: { state: 'absent' as const }, toolCalls: [], timestamp: '2026-01-01T00:00:01.000Z' };
  const messages: Message[] = [
    { ...base, role: 'user', text: 'fix the build', provenance: 'conversation', sourceIds: ['u1'] },
    { ...base, role: 'system', text: '<system-reminder>x</system-reminder>', provenance: 'system-reminder', sourceIds: ['s1'] },
    {
      ...base,
      role: 'assistant',
      text: 'Reading it.',
      reasoning: { state: 'present', text: 'look at the file first' },
      toolCalls: [{ id: 'call-1', name: 'Read', arguments: '{"path":"build.ts"}' }, { id: 'call-2', name: 'Bash', arguments: '{"command":"make"}' }],
      usage,
      model: 'claude-opus-4-7',
      provenance: 'conversation',
      sourceIds: ['a1', 'a2'],
      metadata: { interrupted: false },
    },
    { ...base, role: 'tool', text: 'export {}', toolResult: { toolCallId: 'call-1', toolName: 'Read', isError: false, text: 'export {}' }, provenance: 'conversation', sourceIds: ['t1'] },
    { ...base, role: 'tool', text: 'make: *** failed', toolResult: { toolCallId: 'call-2', toolName: 'Bash', isError: true, text: 'make: *** failed' }, provenance: 'conversation', sourceIds: ['t2'] },
    { ...base, role: 'assistant', text: '', reasoning: { state: 'hollow' }, usage, model: 'claude-opus-4-7', provenance: 'conversation', sourceIds: ['a3'] },
  ];
  return {
    schemaVersion: SESSION_SCHEMA_VERSION,
    id: 's',
    source: 'claude-code',
    files: ['/s.jsonl'],
    cwd: '/w',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:01:00.000Z',
    models: ['claude-opus-4-7'],
    branch: { leafId: 'a3', isActive: true },
    isSubagent: false,
    usage: { input: 6, output: 80, cacheRead: 2400, cacheWrite: 160 },
    messages,
    warnings: [{ file: '/s.jsonl', kind: 'missing-parent', message: 'x', line: 3 }],
  };
}

/** A session as a reader's stream would send it. */
function stream(whole: Session): AsyncIterable<SourceEvent> {
  return Readable.from(sessionEvents(whole));
}

describe('withDetail', () => {
  it('should hand out messages without texts that summarise exactly as the whole ones', async () => {
    const whole = session();
    const [reduced] = (await foldSessions(withDetail(stream(whole), 'summary'))).sessions;
    expect(summarizeSession(reduced!)).toEqual(summarizeSession(whole));
    expect(summarizeSession(whole)).toMatchObject({ userTurns: 1, assistantTurns: 2, toolCalls: 2, toolErrors: 1, reasoning: { present: 1, hollow: 1 }, warnings: 1 });
    expect(reduced!.messages.map((message) => message.text + (message.reasoning.text ?? '') + message.toolCalls.map((call) => call.arguments).join('') + (message.toolResult?.text ?? ''))).toEqual(['', '', '', '', '', '']);
    // What a cross-file step reads (ids, times, usage, tool result ids) is kept.
    expect(reduced!.messages.map((message) => message.sourceIds)).toEqual(whole.messages.map((message) => message.sourceIds));
    expect(reduced!.messages[4]!.toolResult).toEqual({ toolCallId: 'call-2', toolName: 'Bash', isError: true, text: '' });
    expect(reduced!.messages.every((message) => message.metadata === undefined)).toBe(true);
  });

  it('should pass the events through untouched for full detail', () => {
    const events = stream(session());
    expect(withDetail(events, 'full')).toBe(events);
    expect(withDetail(events, undefined)).toBe(events);
  });
});
