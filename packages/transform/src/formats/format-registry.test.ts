import { describe, expect, it } from 'vitest';
import { createDatasetBuilder } from '../dataset-builder.js';
import { baseTokens, turnTokens } from '../length/token-windows.js';
import { mergeSidecars } from '../output/dataset-layout.js';
import { loadSessionFixture } from '../test-support/fixtures.js';
import { preparedOrThrow } from '../test-support/prepared.js';
import { TransformError } from '../transform-error.js';
import { type DatasetFormat } from './dataset-format.js';
import { formatNames, resolveFormats } from './format-registry.js';

/** A format of one row per session, whatever its token windows: the shape a trajectory format has. */
const turnCountFormat: DatasetFormat<'turn-count'> = {
  name: 'turn-count',
  *sessionRows({ conversation, windows }) {
    yield { line: JSON.stringify({ id: conversation.sessionId, turns: conversation.turns.length, windows: windows.length }) };
  },
  notes: ({ reasoningTurns }) => [`${reasoningTurns} turns with reasoning`],
  sidecars: (files, { datasetName }) => [{ path: 'dataset_info.json', json: { [`${datasetName}_turns`]: { file_name: files.train } } }],
};

describe('the format registry', () => {
  it('should list every format once, and resolve names in registry order', () => {
    expect(formatNames).toEqual(['sharegpt', 'openai', 'messages', 'dpo-trl', 'dpo-sharegpt', 'dpo-openai', 'kto', 'atif']);
    // Preference formats and atif only when asked for.
    expect(resolveFormats().map((format) => format.name)).toEqual(['sharegpt', 'openai', 'messages']);
    expect(resolveFormats(['atif', 'openai']).map((format) => format.name)).toEqual(['openai', 'atif']);
    expect(resolveFormats(['messages', 'sharegpt', 'messages']).map((format) => format.name)).toEqual(['sharegpt', 'messages']);
    expect(resolveFormats([turnCountFormat, 'openai']).map((format) => format.name)).toEqual(['openai', 'turn-count']);
  });

  it('should name unknown formats and the known ones', () => {
    const failure = (() => {
      try {
        return resolveFormats(['sharegpt', 'alpaca', 'dpo']);
      } catch (error) {
        return error;
      }
    })();
    expect(TransformError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'unknown-format', message: 'unknown format "alpaca", "dpo" (choose from sharegpt, openai, messages, dpo-trl, dpo-sharegpt, dpo-openai, kto, atif)' });
  });

  it('should take a format whose rows are not token windows, beside the window formats', async () => {
    const session = loadSessionFixture('pir-rename.session.json');
    const characters = { name: 'characters', count: (text: string) => text.length };
    const conversation = preparedOrThrow(session);
    const total = conversation.turns.reduce((sum, turn) => sum + turnTokens(turn, characters), baseTokens(conversation, characters));
    const builder = await createDatasetBuilder({ formats: ['sharegpt', turnCountFormat], tokenCounter: characters, tokens: { budget: total - 1 }, validationRatio: 0 });
    expect(await builder.addSession(session)).toMatchObject({ status: 'accepted', rows: 2 });
    const dataset = builder.finish();
    expect(dataset.formats.sharegpt?.train).toHaveLength(2);
    expect(dataset.formats['turn-count']?.train.map((line) => JSON.parse(line))).toEqual([{ id: session.id, turns: conversation.turns.length, windows: 2 }]);
    expect(dataset.manifest.counts.rowsByFormat).toEqual({ sharegpt: { train: 2, validation: 0 }, 'turn-count': { train: 1, validation: 0 } });
    expect(dataset.manifest.formats.at(-1)).toEqual({ format: 'turn-count', files: ['turn-count/train.jsonl', 'turn-count/val.jsonl', 'turn-count/rows.jsonl'], notes: ['1 turns with reasoning'] });
    // Both formats add their entries to one dataset_info.json.
    expect(dataset.sidecars.map((sidecar) => sidecar.path)).toEqual(['dataset_info.json']);
    expect(Object.keys(JSON.parse(dataset.sidecars[0]!.text))).toEqual(['forge_train', 'forge_validation', 'forge_turns']);
  });
});

describe('mergeSidecars', () => {
  it('should merge JSON sidecars of one path and refuse two owners of a text sidecar', () => {
    expect(mergeSidecars([{ path: 'a.json', json: { x: 1 } }, { path: 'b.yaml', text: 'b: 1\n' }, { path: 'a.json', json: { y: 2 } }])).toEqual([
      { path: 'a.json', text: '{\n  "x": 1,\n  "y": 2\n}\n' },
      { path: 'b.yaml', text: 'b: 1\n' },
    ]);
    expect(() => mergeSidecars([{ path: 'b.yaml', text: '1' }, { path: 'b.yaml', text: '2' }])).toThrow(/two formats write the sidecar b\.yaml/);
  });
});
