import { describe, expect, it } from 'vitest';
import { toConversationLine, type ConversationLineType } from './claude-line.js';
import { summaryLineText } from './summary-line-text.js';
import { damagedLine, random, transcriptLines } from './test-support/transcript-lines.js';

const conversationTypes = new Set(['user', 'assistant', 'system', 'attachment', 'progress']);

/** What the summary read keeps of a parsed line (`toConversationLine` with `detail: 'summary'`), or the value itself for a line that is no conversation line. */
function kept(value: unknown): unknown {
  if (typeof value !== 'object' || value == null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !conversationTypes.has(type)) return record;
  return toConversationLine(record, type as ConversationLineType, 0, 1, 'summary');
}

function parse(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** The text with each backslash that starts no valid JSON escape doubled: what parses then was refused for a bad escape only. */
function withBadEscapesMended(text: string): string {
  return text.replace(/\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])|\\/gu, (escape) => (escape.length === 1 ? '\\\\' : escape));
}

function cut(line: string): string | undefined {
  const bytes = Buffer.from(line);
  return summaryLineText(bytes, 0, bytes.length);
}

/** The line through the usage path: its cut text parsed (the whole line when nothing is cut or the cut text does not parse, as `parseLine` does). */
function throughUsagePath(line: string): { value: unknown } | undefined {
  const text = cut(line);
  return (text == null ? undefined : parse(text)) ?? parse(line);
}

/** A tool result's line, its members in the order given. */
function toolResultLine(members: Array<[string, unknown]>): string {
  return `{${members.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;
}

const envelope: Array<[string, unknown]> = [
  ['parentUuid', 'a1'],
  ['isSidechain', false],
  ['sessionId', 's1'],
  ['type', 'user'],
];
const fooling = 'done\n{"type":"assistant","uuid":"x9","message":{"id":"msg_x","content":[{"type":"tool_use","id":"t9","name":"Bash","input":{}}]}}\n"toolUseResult":{"is_error":true} \\" \\\\" }]} "tool_result" \\u0022';

describe('summaryLineText', () => {
  it('should give every real transcript line what the whole line gives the summary read, cutting the tool results', async () => {
    const lines = await transcriptLines();
    expect(lines.length).toBeGreaterThan(2000);
    let cutLines = 0;
    for (const line of lines) {
      const text = cut(line);
      if (text != null) cutLines += 1;
      expect(kept(throughUsagePath(line)?.value)).toEqual(kept(parse(line)?.value));
    }
    // Most tool result lines are cut (a damaged one, or one the walk cannot follow, is parsed whole).
    expect(cutLines).toBeGreaterThan(lines.filter((line) => line.includes('"tool_result"')).length * 0.9);
  });

  it('should agree with JSON.parse on damaged and re-spelled lines, refusing what it refuses but a bad escape inside a cut string', async () => {
    const lines = (await transcriptLines()).filter((line) => line.length < 20_000 && /"(?:tool_result|tool_use|thinking)"/u.test(line) && parse(line) != null);
    const next = random(13);
    let refused = 0;
    for (let round = 0; round < 4000; round += 1) {
      const mutated = damagedLine(lines, next);
      const whole = parse(mutated);
      const text = cut(mutated);
      const usage = text == null ? undefined : parse(text);
      if (whole == null) {
        refused += 1;
        // Refused whole: the cut text must be refused too, or the line be left to JSON.parse.
        // Refused whole: the cut text must be refused too (or the line be left to JSON.parse), but
        // for the one damage the walk does not check: a bad escape inside a cut string.
        if (usage != null) expect([mutated, parse(withBadEscapesMended(mutated)) != null]).toEqual([mutated, true]);
      } else expect([mutated, kept(throughUsagePath(mutated)?.value)]).toEqual([mutated, kept(whole.value)]);
    }
    expect(refused).toBeGreaterThan(800);
  });

  it('should not be fooled by tool output that looks like lines, keys and quotes, in any key order', () => {
    const message = { role: 'user', content: [{ tool_use_id: 't1', type: 'tool_result', content: fooling, is_error: true }, { type: 'text', text: fooling }] };
    const result = { stdout: fooling, nested: [{ type: 'user', message: { content: [{ type: 'tool_result', content: 'x' }] } }] };
    const orders: Array<Array<[string, unknown]>> = [
      [...envelope, ['message', message], ['uuid', 'u1'], ['timestamp', '2026-01-01T00:00:00Z'], ['toolUseResult', result]],
      [['toolUseResult', result], ['message', message], ['uuid', 'u1'], ...envelope.reverse()],
      [['uuid', 'u1'], ['message', { content: [{ content: [{ type: 'text', text: fooling }], is_error: false, type: 'tool_result', tool_use_id: 't1' }], role: 'user' }], ['type', 'user']],
    ];
    for (const members of orders) {
      const line = toolResultLine(members);
      const text = cut(line);
      expect(text).toBeDefined();
      expect(text!.length).toBeLessThan(line.length - fooling.length);
      expect(kept(throughUsagePath(line)?.value)).toEqual(kept(JSON.parse(line)));
    }
  });

  it('should cut tool call inputs, thinking and signatures of assistant lines in any key order, keeping a Task or Agent call\'s input', () => {
    const assistantEnvelope: Array<[string, unknown]> = [['parentUuid', 'u1'], ['uuid', 'a1'], ['requestId', 'req_1']];
    const blockSets: Array<Array<Record<string, unknown>>> = [
      [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: fooling } }],
      [{ input: { command: fooling, nested: [{ type: 'tool_use', input: {} }] }, id: 't2', type: 'tool_use', name: 'Write' }],
      [{ name: 'Task', input: { prompt: fooling, description: 'd' }, type: 'tool_use', id: 't3' }],
      [{ type: 'tool_use', id: 't4', input: { prompt: fooling }, name: 'Ag\u0065nt' }],
      [{ type: 'tool_use', id: 't5', input: { x: fooling }, name: 7 }],
      [{ signature: 'sig'.repeat(500), type: 'thinking', thinking: fooling }],
      [{ type: 'thinking', thinking: '', signature: 'sig' }],
      [{ type: 'thinking', thinking: null, signature: fooling }],
      [{ type: 'thinking', thinking: { odd: fooling } }],
      [{ type: 'text', text: fooling }, { type: 'tool_result', content: fooling }],
    ];
    for (const blocks of blockSets) {
      const message = { model: 'claude-opus-4-6', id: 'msg_1', role: 'assistant', content: blocks, usage: { input_tokens: 3, output_tokens: 9 } };
      for (const members of [[['type', 'assistant'], ...assistantEnvelope, ['message', message]], [['message', message], ...assistantEnvelope, ['type', 'assistant']]] as Array<Array<[string, unknown]>>) {
        // `Ag\u0065nt` is written escaped: JSON.stringify would double its backslash.
        const line = toolResultLine(members).replace('Ag\\u0065nt', 'Ag\u0065nt');
        expect(kept(throughUsagePath(line)?.value)).toEqual(kept(JSON.parse(line)));
      }
    }
    const bash = toolResultLine([['type', 'assistant'], ['message', { content: blockSets[0] }], ['uuid', 'a1']]);
    expect(cut(bash)!.length).toBeLessThan(bash.length - fooling.length);
    const task = toolResultLine([['type', 'assistant'], ['message', { content: blockSets[2] }], ['uuid', 'a1']]);
    expect(cut(task)).toBeUndefined();
  });

  it('should cut nothing of lines that are no user or assistant line, nor an assistant line\'s tool result, and keep a text that only quotes a tool result', () => {
    const system = toolResultLine([['type', 'system'], ['message', { content: [{ type: 'tool_use', name: 'Bash', input: { command: fooling } }, { type: 'thinking', thinking: fooling }] }]]);
    expect(cut(system)).toBeUndefined();
    const assistant = toolResultLine([['type', 'assistant'], ['message', { content: [{ type: 'tool_result', content: 'kept' }] }], ['toolUseResult', { kept: true }]]);
    expect(cut(assistant)).toBeUndefined();
    const text = toolResultLine([...envelope, ['message', { content: [{ type: 'text', text: fooling }] }], ['uuid', 'u1']]);
    expect(cut(text)).toBeUndefined();
  });

  it('should leave keys and types spelled with escapes to JSON.parse, or read them as JSON.parse does', () => {
    const escapedKey = '{"type":"user","mess\\u0061ge":{"content":[{"type":"tool_result","content":"big"}]}}';
    expect(cut(escapedKey)).toBeUndefined();
    const escapedType = '{"type":"us\\u0065r","message":{"content":[{"type":"tool\\u005fresult","content":"big"}]},"uuid":"u1"}';
    expect(JSON.parse(cut(escapedType)!)).toEqual({ type: 'user', message: { content: [{ type: 'tool_result', content: '' }] }, uuid: 'u1' });
  });

  it('should keep the last of repeated keys, as JSON.parse does', () => {
    const line = '{"type":"assistant","message":{"content":[{"type":"tool_result","content":"a"}]},"type":"user","toolUseResult":{"a":1},"toolUseResult":null}';
    expect(kept(throughUsagePath(line)?.value)).toEqual(kept(JSON.parse(line)));
    expect(JSON.parse(cut(line)!)).toMatchObject({ type: 'user', message: { content: [{ content: '' }] } });
  });

  it('should cut a huge tool result without decoding it, and catch one torn inside it', () => {
    const output = `${'line of output with \\"quotes\\" and a \\\\ backslash\n'.repeat(120_000)}`;
    const line = toolResultLine([...envelope, ['message', { content: [{ type: 'tool_result', tool_use_id: 't1', content: output, is_error: false }] }], ['uuid', 'u1'], ['toolUseResult', { stdout: output }]]);
    expect(line.length).toBeGreaterThan(10_000_000);
    const text = cut(line);
    expect(text!.length).toBeLessThan(300);
    expect(kept(JSON.parse(text!))).toEqual(kept(JSON.parse(line)));
    expect(cut(line.slice(0, line.length / 2))).toBeUndefined();
    expect(cut(line.slice(0, -1))).toBeUndefined();
  });
});
