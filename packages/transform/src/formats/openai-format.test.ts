import { parseOpenAiChatRecord } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { loadSessionFixture } from '../test-support/fixtures.js';
import { preparedOrThrow } from '../test-support/prepared.js';
import { toOpenAiChatRecord } from './openai-format.js';

describe('toOpenAiChatRecord', () => {
  const record = toOpenAiChatRecord(preparedOrThrow(loadSessionFixture('claude-fix-test.session.json')));

  it('should emit a valid record with string arguments and a tool message per result', () => {
    expect(() => parseOpenAiChatRecord(record)).not.toThrow();
    const calls = record.messages.flatMap((message) => (message.role === 'assistant' ? (message.tool_calls ?? []) : []));
    expect(calls.map((call) => call.id)).toEqual(['toolu_01', 'toolu_02', 'toolu_03', 'toolu_04']);
    for (const call of calls) expect(typeof JSON.parse(call.function.arguments)).toBe('object');
    const toolIds = record.messages.flatMap((message) => (message.role === 'tool' ? [message.tool_call_id] : []));
    expect(toolIds).toEqual(['toolu_01', 'toolu_02', 'toolu_03', 'toolu_04']);
    expect(record.parallel_tool_calls).toBe(true);
  });

  it('should give hollow-reasoning turns weight 0 and carry no reasoning text', () => {
    const weights = record.messages.flatMap((message) => (message.role === 'assistant' ? [message.weight] : []));
    expect(weights).toEqual([1, 0, 1, 1]);
    expect(JSON.stringify(record)).not.toContain('The test runner output will show the failure.');
  });
});
