import { describe, expect, it } from 'vitest';
import { type Message, type Session } from '@forge/schema';
import { collectToolUses } from '../tool-uses.js';
import { readCompletion } from './completion-signal.js';
import { readCorrections } from './correction-signal.js';
import { readFacets } from './facets-signal.js';
import { readThinking } from './thinking-signal.js';
import { readToolErrors } from './tool-error-signal.js';

let callCount = 0;
const message = (role: Message['role'], text: string, extra: Partial<Message> = {}): Message => ({ role, text, reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation', ...extra });
function call(name: string, args: Record<string, unknown>, isError: boolean, output = isError ? 'Error' : 'ok'): Message[] {
  callCount += 1;
  const id = `call_${callCount}`;
  return [
    message('assistant', '', { toolCalls: [{ id, name, arguments: JSON.stringify(args) }] }),
    message('tool', output, { toolResult: { toolCallId: id, toolName: name, isError, text: output } }),
  ];
}
function session(messages: Message[]): Session {
  return { schemaVersion: 1, id: 's', source: 'claude-code', files: ['/x.jsonl'], cwd: '/w', startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T01:00:00Z', models: [], branch: { leafId: null, isActive: true }, isSubagent: false, usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, messages, warnings: [] };
}

describe('readToolErrors', () => {
  it('should cost an unrecovered error more than a recovered one, and a loop most', () => {
    const recovered = session([...call('Bash', { command: 'npm test' }, true), ...call('Bash', { command: 'npm test' }, false), ...call('Read', { file_path: '/w/a' }, false), ...call('Read', { file_path: '/w/b' }, false)]);
    const unrecovered = session([...call('Bash', { command: 'npm test' }, true), ...call('Read', { file_path: '/w/x' }, false), ...call('Read', { file_path: '/w/a' }, false), ...call('Read', { file_path: '/w/b' }, false)]);
    const looping = session([...call('Bash', { command: 'make' }, true), ...call('Bash', { command: 'make' }, true), ...call('Bash', { command: 'make' }, true), ...call('Read', { file_path: '/w/a' }, false)]);
    const [a, b, c] = [recovered, unrecovered, looping].map((entry) => readToolErrors(collectToolUses(entry))) as [ReturnType<typeof readToolErrors>, ReturnType<typeof readToolErrors>, ReturnType<typeof readToolErrors>];
    expect(a).toMatchObject({ value: 0.25, reason: '1 of 4 tool calls failed (25%); 1 recovered by a later success on the same target' });
    expect(a.score!).toBeGreaterThan(b.score!);
    expect(b.score!).toBeGreaterThan(c.score!);
    expect(c.reason).toMatch(/1 loop of ≥3 identical failing calls/u);
    expect(readToolErrors([])).toEqual({ value: null, score: null, reason: 'no tool calls' });
  });

  it('should not punish length: the same clean work done twice scores the same', () => {
    const once = [...call('Read', { file_path: '/w/a' }, false), ...call('Bash', { command: 'npm test' }, false)];
    const twice = [...once, ...call('Read', { file_path: '/w/b' }, false), ...call('Bash', { command: 'npm test' }, false)];
    expect(readToolErrors(collectToolUses(session(twice))).score).toBe(readToolErrors(collectToolUses(session(once))).score);
  });
});

describe('readCompletion', () => {
  it('should want a final answer after the last tool result and no interruption, error or cut-off', () => {
    expect(readCompletion(session([message('user', 'go'), ...call('Bash', { command: 'ls' }, false), message('assistant', 'Done.', { stopReason: 'end_turn' })]))).toMatchObject({ value: true, score: 1 });
    expect(readCompletion(session([message('user', 'go'), ...call('Bash', { command: 'ls' }, false)]))).toMatchObject({ value: false, reason: 'ends with a tool turn, not an answer' });
    expect(readCompletion(session([message('user', 'go'), message('assistant', 'Half', { stopReason: 'max_tokens' })]))).toMatchObject({ value: false, score: 0.2 });
    expect(readCompletion(session([message('user', 'go'), message('user', '[Request interrupted by user]', { provenance: 'interrupted' })]))).toMatchObject({ value: false, score: 0 });
  });
});

describe('readCorrections', () => {
  it('should count later user turns that reject the work and rejected tool calls, not the first prompt', () => {
    const rejected = call('Edit', { file_path: '/w/a' }, true, "The user doesn't want to proceed with this tool use. The tool use was rejected.");
    const corrected = session([message('user', 'No, fix the tests first'), message('assistant', 'ok'), message('user', "No, that's wrong: revert it"), ...rejected, message('user', 'thanks, looks good')]);
    const reading = readCorrections(corrected, collectToolUses(corrected));
    expect(reading).toMatchObject({ value: 2, reason: '1 correcting user turn, 1 rejected tool call' });
    expect(reading.score).toBeCloseTo(1 / 3, 3);
  });
});

describe('readThinking and readFacets', () => {
  it('should boost real thinking only: hollow thinking counts for nothing', () => {
    const reading = readThinking(session([message('assistant', 'a', { reasoning: { state: 'present', text: 'because' } }), message('assistant', 'b', { reasoning: { state: 'hollow' } }), message('assistant', 'c')]));
    expect(reading).toEqual({ value: 0.3333, score: 0.3333, reason: '1 of 3 answers carry thinking (33%); 1 hollow, no boost for them' });
  });

  it("should weigh Claude Code's facets outcome less its friction, and leave unclear outcomes out", () => {
    const base = { sessionId: 's', frictionCounts: { buggy_code: 2 }, satisfactionCounts: {}, source: { file: 'f' } };
    expect(readFacets({ ...base, outcome: 'mostly_achieved' })).toMatchObject({ value: 'mostly_achieved', score: 0.55 });
    expect(readFacets({ ...base, outcome: 'unclear_from_transcript' }).score).toBeNull();
    expect(readFacets(undefined).score).toBeNull();
  });
});
