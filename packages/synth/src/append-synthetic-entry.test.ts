import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SyntheticTag } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { appendSyntheticEntry } from './append-synthetic-entry.js';

const tag: SyntheticTag = {
  batchId: 'b',
  runId: 'witness-off-1',
  harness: 'pi',
  role: 'witness',
  template: { file: '/t/witness.toml', sha256: '0'.repeat(64), task: 'stalled-polecat' },
  parameters: { thinking: 'off' },
  variables: { rig: 'myrig' },
};

describe('appendSyntheticEntry', () => {
  it('should hang the tag on the last whole entry, completing a file without its final newline', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'forge-synth-entry-')), 's.jsonl');
    const header = '{"type":"session","version":3,"id":"s1","timestamp":"2026-01-01T00:00:00.000Z","cwd":"/x"}';
    const user = '{"type":"message","id":"aa11bb22","parentId":null,"timestamp":"2026-01-01T00:00:01.000Z","message":{"role":"user","content":"hi"}}';
    await writeFile(file, `${header}\n${user}\n{"type":"message","id":"torn`);
    expect(await appendSyntheticEntry(file, tag)).toBe(true);
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ type: 'custom', customType: 'forge.synthetic', data: tag, parentId: 'aa11bb22', id: expect.stringMatching(/^[0-9a-f]{8}$/u) });
  });

  it('should leave a file with no entry alone', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'forge-synth-entry-')), 's.jsonl');
    await writeFile(file, '{"type":"session","version":3,"id":"s1","timestamp":"2026-01-01T00:00:00.000Z","cwd":"/x"}\n');
    expect(await appendSyntheticEntry(file, tag)).toBe(false);
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(2);
  });
});
