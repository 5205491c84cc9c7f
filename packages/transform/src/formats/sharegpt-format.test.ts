import { parseLlamaFactoryDatasetInfoEntry, parseShareGptRecord, shareGptAlternationProblem } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { allSessionFixtures, loadSessionFixture } from '../test-support/fixtures.js';
import { preparedOrThrow } from '../test-support/prepared.js';
import { shareGptDatasetInfo, toShareGptRecord } from './sharegpt-format.js';

describe('toShareGptRecord', () => {
  it('should obey the LLaMA-Factory alternation rule for every fixture, noise kept or not', () => {
    for (const session of allSessionFixtures()) {
      for (const noise of ['drop', 'keep'] as const) {
        const record = toShareGptRecord(preparedOrThrow(session, { noise }));
        expect(shareGptAlternationProblem(record.conversations), `${session.id} noise=${noise}`).toBeUndefined();
        expect(() => parseShareGptRecord(record)).not.toThrow();
      }
    }
  });

  it('should list parallel calls in one function_call and merge their results into one observation', () => {
    const record = toShareGptRecord(preparedOrThrow(loadSessionFixture('claude-fix-test.session.json')));
    const parallelIndex = record.conversations.findIndex((turn) => turn.from === 'function_call' && turn.value.startsWith('['));
    expect(parallelIndex).toBeGreaterThan(0);
    const calls = JSON.parse(record.conversations[parallelIndex]!.value) as Array<{ name: string; arguments: Record<string, unknown> }>;
    expect(calls.map((call) => call.name)).toEqual(['Read', 'Read']);
    expect(calls[1]!.arguments.limit).toBe(40);
    const observation = record.conversations[parallelIndex + 1]!;
    expect(observation.from).toBe('observation');
    expect(JSON.parse(observation.value)).toHaveLength(2);
  });

  it('should inline present reasoning as a think block and never write an empty one', () => {
    const record = toShareGptRecord(preparedOrThrow(loadSessionFixture('claude-fix-test.session.json')));
    const first = record.conversations.find((turn) => turn.from === 'function_call')!;
    expect(first.value.startsWith('<think>\nThe test runner output will show the failure.')).toBe(true);
    expect(first.value).toMatch(/<\/think>\n\n\{"name":"Bash"/);
    for (const turn of record.conversations) expect(turn.value).not.toMatch(/<think>\s*<\/think>/);
    // The hollow turn (the two Read calls) has no think block at all.
    expect(record.conversations.find((turn) => turn.value.startsWith('['))!.value.includes('<think>')).toBe(false);
  });

  it('should move prose that comes with a tool call into the think block, or drop it', () => {
    const conversation = preparedOrThrow(loadSessionFixture('pir-rename.session.json'));
    const moved = toShareGptRecord(conversation).conversations[1]!.value;
    expect(moved).toContain('I will search for the callers.\n</think>');
    const dropped = toShareGptRecord(conversation, { textWithToolCall: 'drop' }).conversations[1]!.value;
    expect(dropped).not.toContain('I will search for the callers.');
    expect(dropped).toContain('grep for loadConfig');
  });

  it('should carry the system prompt and the tools as a JSON string of name/parameters objects', () => {
    const record = toShareGptRecord(preparedOrThrow(loadSessionFixture('pir-rename.session.json')));
    expect(record.system).toBe('You are pi, a coding agent. Be concise.');
    const tools = JSON.parse(record.tools) as Array<{ name: string; parameters: { type: string } }>;
    expect(tools.map((tool) => tool.name)).toEqual(['edit', 'grep']);
    expect(tools.every((tool) => tool.parameters.type === 'object')).toBe(true);
  });
});

describe('shareGptDatasetInfo', () => {
  it('should describe train and validation files as valid dataset_info entries', () => {
    const info = shareGptDatasetInfo('forge', { train: 'sharegpt/train.jsonl', validation: 'sharegpt/val.jsonl' });
    expect(Object.keys(info)).toEqual(['forge_train', 'forge_validation']);
    for (const entry of Object.values(info)) expect(() => parseLlamaFactoryDatasetInfoEntry(entry)).not.toThrow();
    expect(info.forge_train?.columns).toEqual({ messages: 'conversations', system: 'system', tools: 'tools' });
  });
});
