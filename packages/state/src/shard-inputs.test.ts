import { describe, expect, it } from 'vitest';
import { type DiscoveredInputs } from './collect-sessions.js';
import { shardInputs } from './shard-inputs.js';

const reader = { name: 'claude' } as DiscoveredInputs['perReader'][number]['reader'];
const file = (path: string, group?: string) => ({ path, source: 'claude-code' as const, size: 1, mtimeMs: 0, ...(group == null ? {} : { group }) });

describe('shardInputs', () => {
  it('should split the inputs into disjoint slices that cover them all, keeping a group together', () => {
    const files = [...Array.from({ length: 40 }, (_, index) => file(`/sessions/${index}.jsonl`)), ...Array.from({ length: 5 }, (_, index) => file(`/projects/p/${index}.jsonl`, '/projects/p'))];
    const discovered: DiscoveredInputs = { perReader: [{ reader, files }], files, warnings: [{ kind: 'empty-file', file: '/sessions/empty.jsonl', message: 'empty' }] };
    const shards = [1, 2, 3].map((index) => shardInputs(discovered, { index, count: 3 }));
    const paths = shards.map((shard) => shard.files.map((input) => input.path));
    expect(paths.flat().sort()).toEqual(files.map((input) => input.path).sort());
    for (const slice of paths) expect(slice.length).toBeGreaterThan(5);
    expect(shards.filter((shard) => shard.files.some((input) => input.group === '/projects/p')).map((shard) => shard.files.filter((input) => input.group != null).length)).toEqual([5]);
    expect(shards.map((shard) => shard.perReader[0]!.files)).toEqual(shards.map((shard) => shard.files));
    // Discovery warnings are counted once, by shard 1.
    expect(shards.map((shard) => shard.warnings.length)).toEqual([1, 0, 0]);
    // The same inputs always fall in the same shard.
    expect(shardInputs(discovered, { index: 2, count: 3 }).files).toEqual(shards[1]!.files);
  });

  it('should slice a home the same way wherever it lives (another machine, another clone)', () => {
    const at = (home: string) => [...Array.from({ length: 30 }, (_, index) => file(`${home}/.pi/agent/sessions/--w--/${index}.jsonl`)), file(`${home}/.claude/projects/-w/a.jsonl`, `${home}/.claude/projects/-w`)];
    const slices = ['/home/ann', '/mnt/backup/ann'].map((home) => {
      const files = at(home);
      return [1, 2, 3].map((index) => shardInputs({ perReader: [{ reader, files }], files, warnings: [] }, { index, count: 3 }).files.map((input) => input.path.slice(input.path.indexOf('/.'))));
    });
    expect(slices[1]).toEqual(slices[0]);
  });
});
