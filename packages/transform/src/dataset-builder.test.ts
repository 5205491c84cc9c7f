import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDatasetManifest, type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { createDatasetBuilder, exportSession, type DatasetBuilderOptions, type DatasetBuildResult } from './dataset-builder.js';
import { baseTokens, turnTokens } from './length/token-windows.js';
import { allSessionFixtures, loadSessionFixture } from './test-support/fixtures.js';
import { preparedOrThrow } from './test-support/prepared.js';

const redaction = { homeDirectory: '/home/alice', userName: 'alice' };

async function build(sessions: readonly Session[], options: DatasetBuilderOptions = {}): Promise<DatasetBuildResult> {
  const builder = await createDatasetBuilder({ redaction, ...options });
  for (const session of sessions) await builder.addSession(session);
  return builder.finish();
}

/** A resumed copy: the same conversation under another id and source, plus one more exchange. */
function resumedCopy(session: Session, id: string): Session {
  const copy = structuredClone(session);
  copy.id = id;
  copy.source = 'pi';
  copy.messages.push(
    { role: 'user', text: 'Thanks, that is all.', reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' },
    { role: 'assistant', text: 'You are welcome.', reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' },
  );
  return copy;
}

describe('createDatasetBuilder', () => {
  it('should give byte-identical output for the same sessions in any order, added concurrently or not', async () => {
    const sessions = allSessionFixtures();
    const forward = await build(sessions, { validationRatio: 0.5 });
    const builder = await createDatasetBuilder({ redaction, validationRatio: 0.5 });
    await Promise.all([...sessions].reverse().map((session) => builder.addSession(session)));
    expect(JSON.stringify(builder.finish())).toBe(JSON.stringify(forward));
  });

  it('should emit one row per session in every format and count them in the manifest', async () => {
    const result = await build(allSessionFixtures(), { validationRatio: 0 });
    for (const format of ['sharegpt', 'openai', 'messages'] as const) {
      expect(result.formats[format]?.train).toHaveLength(4);
      expect(result.manifest.counts.rowsByFormat[format]).toEqual({ train: 4, validation: 0 });
    }
    expect(result.manifest.counts.sessionsBySource).toEqual({ 'claude-code': 2, omp: 1, pir: 1 });
    expect(result.manifest.counts.sessionsByRole).toEqual({ none: 3, polecat: 1 });
    expect(result.manifest.tokens.counter).toBe('tokenx-estimate');
    expect(result.manifest.tokens.max).toBeGreaterThanOrEqual(result.manifest.tokens.p50);
    expect(result.manifest.formats.find((entry) => entry.format === 'openai')?.notes[0]).toMatch(/^openai cannot carry reasoning/);
    expect(Object.keys(result.datasetInfo)).toEqual(['forge_train', 'forge_validation']);
    expect(result.axolotlYaml).toContain('messages/train.jsonl');
  });

  it('should fit the manifest schema once the CLI adds its own parts', async () => {
    const result = await build(allSessionFixtures());
    expect(() =>
      parseDatasetManifest({ manifestVersion: 1, forgeVersion: '0.0.0', options: {}, inputs: [], warnings: 0, ...result.manifest }),
    ).not.toThrow();
  });

  it('should keep the best-scored copy of a near-duplicate across sources and report the other', async () => {
    const original = loadSessionFixture('claude-fix-test.session.json');
    const copy = resumedCopy(original, 'resumed-copy');
    const result = await build([original, copy, loadSessionFixture('omp-summary.session.json')], { validationRatio: 0 });
    expect(result.manifest.counts.sessions).toBe(2);
    expect(result.manifest.skipped).toEqual([{ kind: 'session', ref: 'claude-code:0b7c1c6e-claude-fix-test', reason: 'near duplicate of pi:resumed-copy' }]);
    expect(result.formats.openai?.train.some((line) => line.includes('You are welcome.'))).toBe(true);
  });

  it('should prefer the copy the custom scorer ranks higher', async () => {
    const original = loadSessionFixture('claude-fix-test.session.json');
    const copy = resumedCopy(original, 'resumed-copy');
    const result = await build([original, copy], { scoreSession: (session) => (session.source === 'claude-code' ? 10 : 0) });
    expect(result.manifest.skipped.map((item) => item.ref)).toEqual(['pi:resumed-copy']);
  });

  it('should drop an exact copy under another id', async () => {
    const original = loadSessionFixture('pir-rename.session.json');
    const copy = { ...structuredClone(original), id: 'pir-copy' };
    const result = await build([original, copy], { dedup: { nearDuplicates: false } });
    // Equal scores: the smaller key wins.
    expect(result.manifest.skipped).toEqual([{ kind: 'session', ref: 'pir:pir-copy', reason: 'exact duplicate of pir:pir-2026-11-21-refactor' }]);
  });

  it('should put every window of a split session on the same side', async () => {
    const sessions = Array.from({ length: 12 }, (_, index) => ({ ...loadSessionFixture('pir-rename.session.json'), id: `windowed-${index}` }));
    const characters = { name: 'characters', count: (text: string) => text.length };
    const conversation = preparedOrThrow(sessions[0]!);
    const total = conversation.turns.reduce((sum, turn) => sum + turnTokens(turn, characters), baseTokens(conversation, characters));
    const result = await build(sessions, {
      validationRatio: 0.5,
      dedup: { exact: false, nearDuplicates: false },
      tokenCounter: characters,
      tokens: { budget: total - 1 },
    });
    const lines = result.formats.messages!;
    expect(lines.train.length + lines.validation.length).toBe(24);
    expect(lines.train.length % 2).toBe(0);
    expect(lines.validation.length).toBeGreaterThan(0);
    expect(lines.train.length).toBeGreaterThan(0);
  });

  it('should report sessions with nothing to train on', async () => {
    const session = loadSessionFixture('omp-summary.session.json');
    session.messages = session.messages.filter((message) => message.role === 'user');
    const builder = await createDatasetBuilder({ redaction });
    expect(await builder.addSession(session)).toEqual({ status: 'skipped', reason: 'no user turn followed by an assistant turn' });
    expect(builder.finish().manifest.skipped).toHaveLength(1);
    await expect(builder.addSession(session)).rejects.toThrow(/after finish/);
  });
});

describe('createDatasetBuilder with a spill folder and a writer', () => {
  it('should stream the same lines as the in-memory build and delete its spill file', async () => {
    const sessions = allSessionFixtures();
    const inMemory = await build(sessions, { validationRatio: 0.5 });
    const folder = mkdtempSync(join(tmpdir(), 'forge-transform-spill-'));
    try {
      const builder = await createDatasetBuilder({ redaction, validationRatio: 0.5, spillDirectory: folder });
      for (const session of sessions) await builder.addSession(session);
      expect(readdirSync(folder)).toHaveLength(1);
      const written: Record<string, string[]> = {};
      const streamed = builder.finish({ write: (format, split, line) => (written[`${format}/${split}`] ??= []).push(line) });
      expect(readdirSync(folder)).toEqual([]);
      for (const [format, lines] of Object.entries(inMemory.formats)) {
        expect(written[`${format}/train`] ?? []).toEqual(lines.train);
        expect(written[`${format}/validation`] ?? []).toEqual(lines.validation);
        expect(streamed.formats[format as 'openai']).toEqual({ train: [], validation: [] });
      }
      expect(streamed.manifest).toEqual(inMemory.manifest);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('exportSession', () => {
  it('should return the lines of one format for one session', async () => {
    const { lines, manifest } = await exportSession(loadSessionFixture('pir-rename.session.json'), 'sharegpt', { redaction });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).system).toBe('You are pi, a coding agent. Be concise.');
    expect(manifest.formats.map((entry) => entry.format)).toEqual(['sharegpt']);
  });
});
