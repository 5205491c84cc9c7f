import { parseChatMessagesRecord } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { allSessionFixtures, loadSessionFixture } from '../test-support/fixtures.js';
import { preparedOrThrow } from '../test-support/prepared.js';
import { axolotlDatasetYaml, toChatMessagesRecord } from './messages-format.js';

describe('toChatMessagesRecord', () => {
  it('should give every message of every fixture the same keys', () => {
    const keySets = new Set<string>();
    for (const session of allSessionFixtures()) {
      const record = toChatMessagesRecord(preparedOrThrow(session));
      expect(() => parseChatMessagesRecord(record)).not.toThrow();
      for (const message of record.messages) keySets.add(Object.keys(message).sort().join(','));
    }
    expect([...keySets]).toEqual(['content,name,reasoning_content,role,tool_call_id,tool_calls,train']);
  });

  it('should carry reasoning, mask hollow and context turns, and name tool results', () => {
    const record = toChatMessagesRecord(preparedOrThrow(loadSessionFixture('claude-fix-test.session.json')));
    const assistants = record.messages.filter((message) => message.role === 'assistant');
    expect(assistants.map((message) => message.train)).toEqual([true, false, true, true]);
    expect(assistants[0]!.reasoning_content).toBe('The test runner output will show the failure.');
    expect(assistants[1]!.reasoning_content).toBeNull();
    expect(record.messages.filter((message) => message.role !== 'assistant').every((message) => !message.train)).toBe(true);
    expect(record.messages.find((message) => message.role === 'tool')?.name).toBe('Bash');
  });
});

describe('axolotlDatasetYaml', () => {
  it('should point axolotl at the messages files with the per-message train field', () => {
    const yaml = axolotlDatasetYaml({ trainPath: 'messages/train.jsonl', validationPath: 'messages/val.jsonl' });
    expect(yaml).toContain('type: chat_template');
    expect(yaml).toContain('message_field_training: train');
    expect(yaml).toContain('field_thinking: reasoning_content');
    expect(yaml).toContain('- path: "messages/train.jsonl"');
    expect(yaml).toContain('test_datasets:\n  - path: "messages/val.jsonl"');
  });
});

describe('toChatMessagesRecord tools', () => {
  it('should carry tool parameters as JSON strings so every row has one tools type', () => {
    const record = toChatMessagesRecord(preparedOrThrow(loadSessionFixture('pir-rename.session.json')));
    expect(record.tools.map((tool) => tool.function.name)).toEqual(['edit', 'grep']);
    for (const tool of record.tools) {
      expect(typeof tool.function.parameters).toBe('string');
      expect(JSON.parse(tool.function.parameters).type).toBe('object');
      expect(tool.function.description).toBe('');
    }
  });
});
