import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDatasetManifest, type Session } from '@forge/schema';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createBuilderProcessor, createDatasetBuilder, exportSession, type DatasetBuilderOptions } from './dataset-builder.js';
import { baseTokens, turnTokens } from './length/token-windows.js';
import { type BuiltDataset } from './merge/dataset-merger.js';
import { writeDataset } from './output/write-dataset.js';
import { allSessionFixtures, loadSessionFixture } from './test-support/fixtures.js';
import { preparedOrThrow } from './test-support/prepared.js';

const redaction = { homeDirectory: '/home/alice', userName: 'alice' };

async function build(sessions: readonly Session[], options: DatasetBuilderOptions = {}, scores: Readonly<Record<string, number>> = {}): Promise<BuiltDataset> {
  const builder = await createDatasetBuilder({ redaction, ...options });
  for (const session of sessions) await builder.addSession(session, scores[session.id] == null ? {} : { score: scores[session.id] });
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
    const backward = builder.finish();
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
    for (const format of ['sharegpt', 'openai', 'messages'] as const) {
      for (const split of ['train', 'validation'] as const) expect([...backward.lines(format, split)]).toEqual([...forward.lines(format, split)]);
    }
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
    // The fixtures recorded one tool definition; the others are inferred from the calls, and the notes say so.
    expect(result.manifest.formats.find((entry) => entry.format === 'openai')?.notes.at(-1)).toBe('tool definitions over the kept sessions: 1 as the sessions recorded them, 0 from the given catalog, 6 inferred from the calls (no description; parameters from the arguments seen)');
    expect(result.sidecars.map((sidecar) => sidecar.path)).toEqual(['dataset_info.json', 'axolotl.yaml']);
    expect(Object.keys(JSON.parse(result.sidecars[0]!.text))).toEqual(['forge_train', 'forge_validation']);
    expect(result.sidecars[1]!.text).toContain('messages/train.jsonl');
  });

  it('should carry the labels given with a session into its rows, and use the given score as the tie-break', async () => {
    const original = loadSessionFixture('claude-fix-test.session.json');
    const copy = resumedCopy(original, 'resumed-copy');
    const builder = await createDatasetBuilder({ redaction, validationRatio: 0 });
    // Without labels the longer copy scores higher; the given scores turn that round.
    await builder.addSession(original, { score: 0.9, beads: ['gt-abc12'] });
    await builder.addSession(copy, { score: 0.2 });
    const result = builder.finish();
    expect(result.manifest.skipped).toEqual([{ kind: 'session', ref: 'pi:resumed-copy', reason: 'near duplicate of claude-code:0b7c1c6e-claude-fix-test' }]);
    const rows = [...result.rows('openai', 'train')];
    expect(rows.map((row) => row.labels)).toEqual([{ sessionId: original.id, source: 'claude-code', role: 'polecat', beads: ['gt-abc12'], score: 0.9 }]);
    expect(rows[0]!.line).toBe(result.formats.openai!.train[0]);
  });

  it('should label rows with the Gas Town role and bead ids of the session when no labels are given', async () => {
    const result = await build([loadSessionFixture('claude-fix-test.session.json'), loadSessionFixture('omp-summary.session.json')], { validationRatio: 0 });
    expect([...result.rows('sharegpt', 'train')].map((row) => row.labels)).toEqual([
      { sessionId: '0b7c1c6e-claude-fix-test', source: 'claude-code', role: 'polecat', beads: ['ap-12'], score: null },
      { sessionId: 'omp-5d2e-docs', source: 'omp', role: 'none', beads: [], score: null },
    ]);
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
    const result = await build([original, copy, loadSessionFixture('omp-summary.session.json')], { validationRatio: 0 }, { [original.id]: 0.4, 'resumed-copy': 0.7 });
    expect(result.manifest.counts.sessions).toBe(2);
    expect(result.manifest.skipped).toEqual([{ kind: 'session', ref: 'claude-code:0b7c1c6e-claude-fix-test', reason: 'near duplicate of pi:resumed-copy' }]);
    expect(result.formats.openai?.train.some((line) => line.includes('You are welcome.'))).toBe(true);
  });

  it('should prefer the copy given the higher score, and the smaller key without scores', async () => {
    const original = loadSessionFixture('claude-fix-test.session.json');
    const copy = resumedCopy(original, 'resumed-copy');
    const scored = await build([original, copy], {}, { [original.id]: 0.9, 'resumed-copy': 0.2 });
    expect(scored.manifest.skipped.map((item) => item.ref)).toEqual(['pi:resumed-copy']);
    const reversed = await build([original, copy], {}, { [original.id]: 0.2, 'resumed-copy': 0.9 });
    expect(reversed.manifest.skipped.map((item) => item.ref)).toEqual([`claude-code:${original.id}`]);
    const unscored = await build([copy, original]);
    expect(unscored.manifest.skipped.map((item) => item.ref)).toEqual(['pi:resumed-copy']);
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

describe('createDatasetBuilder with a spill folder, and writeDataset', () => {
  it('should write the same files as the in-memory build, and delete its spill file on close', async () => {
    // One session in several scripts and an emoji: spilled rows are written as the bytes they were stored as.
    const multilingual = structuredClone(loadSessionFixture('pir-rename.session.json'));
    multilingual.id = 'multilingual';
    multilingual.messages.find((message) => message.role === 'user')!.text += ' — naïve café, 日本語のテキスト, Ελληνικά 🚀';
    const sessions = [...allSessionFixtures(), multilingual];
    const inMemory = await build(sessions, { validationRatio: 0.5 });
    const spill = mkdtempSync(join(tmpdir(), 'forge-transform-spill-'));
    const out = mkdtempSync(join(tmpdir(), 'forge-transform-out-'));
    try {
      const builder = await createDatasetBuilder({ redaction, validationRatio: 0.5, spillDirectory: spill });
      for (const session of sessions) await builder.addSession(session);
      expect(readdirSync(spill)).toHaveLength(1);
      const spilled = builder.finish();
      const run = {
        forgeVersion: '1.2.3',
        options: { out: '/home/alice/dataset', roots: ['claude=/home/alice/backup'], formats: ['sharegpt'], demo: false },
        inputs: [{ path: '/home/alice/.pi/agent/sessions/a.jsonl', source: 'pi' as const, size: 10, fingerprint: 'f' }],
        skippedFiles: [{ path: '/home/alice/.claude/projects/p/empty.jsonl', reason: '/home/alice/.claude/projects/p/empty.jsonl: empty file' }],
        warnings: 2,
      };
      const manifest = await writeDataset(out, spilled, run);
      for (const format of Object.keys(spilled.formats)) {
        for (const row of [...spilled.rows(format, 'train'), ...spilled.rows(format, 'validation')]) expect(row.bytes.equals(Buffer.from(row.line, 'utf8'))).toBe(true);
      }
      spilled.close();
      expect(readdirSync(spill)).toEqual([]);
      expect(readdirSync(out).sort()).toEqual(['README.md', 'axolotl.yaml', 'dataset_info.json', 'manifest.json', 'messages', 'openai', 'report.html', 'sharegpt']);
      expect([...inMemory.lines('sharegpt', 'train'), ...inMemory.lines('sharegpt', 'validation')].some((line) => line.includes('日本語のテキスト'))).toBe(true);
      for (const [format, lines] of Object.entries(inMemory.formats)) {
        expect(readFileSync(join(out, format, 'train.jsonl'), 'utf8')).toBe(lines.train.map((line) => `${line}\n`).join(''));
        expect(readFileSync(join(out, format, 'val.jsonl'), 'utf8')).toBe(lines.validation.map((line) => `${line}\n`).join(''));
      }
      for (const { path, text } of inMemory.sidecars) expect(readFileSync(join(out, path), 'utf8')).toBe(text);
      expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
      // The caller's paths went through the dataset's redaction rules: the home folder reads ~.
      expect(manifest).toMatchObject({
        forgeVersion: '1.2.3',
        options: { out: '~/dataset', roots: ['claude=~/backup'], formats: ['sharegpt'], demo: false },
        inputs: [{ path: '~/.pi/agent/sessions/a.jsonl', source: 'pi', size: 10, fingerprint: 'f' }],
        warnings: 2,
        ...inMemory.manifest,
        skipped: [{ kind: 'file', ref: '~/.claude/projects/p/empty.jsonl', reason: '~/.claude/projects/p/empty.jsonl: empty file' }, ...inMemory.manifest.skipped],
      });
    } finally {
      rmSync(spill, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('should create every file of a format even when it has no row', async () => {
    const out = mkdtempSync(join(tmpdir(), 'forge-transform-out-'));
    try {
      const empty = await build([], { formats: ['openai'] });
      await writeDataset(out, empty, { forgeVersion: '0.0.0', options: {}, inputs: [], skippedFiles: [], warnings: 0 });
      expect(readdirSync(out).sort()).toEqual(['README.md', 'manifest.json', 'openai', 'report.html']);
      expect(readdirSync(join(out, 'openai')).sort()).toEqual(['rows.jsonl', 'train.jsonl', 'val.jsonl']);
      expect(readFileSync(join(out, 'openai', 'train.jsonl'), 'utf8')).toBe('');
      expect(readFileSync(join(out, 'openai', 'val.jsonl'), 'utf8')).toBe('');
      expect(readFileSync(join(out, 'openai', 'rows.jsonl'), 'utf8')).toBe('');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("should write every format's rows.jsonl: one line per row, train then validation, in row order; and skip sessions below minScore", async () => {
    const out = mkdtempSync(join(tmpdir(), 'forge-transform-out-'));
    try {
      const sessions = allSessionFixtures();
      const scores = Object.fromEntries(sessions.map((session, index) => [session.id, Math.round(((index + 1) / (sessions.length + 1)) * 1000) / 1000]));
      const lowest = sessions[0]!;
      const builder = await createDatasetBuilder({ redaction, validationRatio: 0.5, minScore: scores[sessions[1]!.id]! });
      for (const session of sessions) await builder.addSession(session, { score: scores[session.id]!, beads: [`gt-${session.id.slice(0, 4)}`] });
      const dataset = builder.finish();
      const manifest = await writeDataset(out, dataset, { forgeVersion: '0.0.0', options: {}, inputs: [], skippedFiles: [], warnings: 0 });
      expect(manifest.skipped).toContainEqual({ kind: 'session', ref: `${lowest.source}:${lowest.id}`, reason: `score ${scores[lowest.id]} is below the minimum score ${scores[sessions[1]!.id]}` });
      for (const { format, files } of manifest.formats) {
        expect(files).toEqual([`${format}/train.jsonl`, `${format}/val.jsonl`, `${format}/rows.jsonl`]);
        const labels = readFileSync(join(out, format, 'rows.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
        const expected = (['train', 'validation'] as const).flatMap((split) => [...dataset.rows(format, split)].map(({ labels: row }) => ({ ...row, split })));
        expect(labels).toEqual(expected);
        expect(labels).toHaveLength(manifest.counts.rowsByFormat[format]!.train + manifest.counts.rowsByFormat[format]!.validation);
        expect(labels.some((label) => label.split === 'validation')).toBe(true);
        for (const label of labels) expect(label.score).toBe(scores[label.sessionId as string]);
        expect(labels.map((label) => label.sessionId)).not.toContain(lowest.id);
      }
      dataset.close();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('should give the same dataset, byte for byte, when scores and beads are given late (labelSession, late-labels lines through addProcessedLine, sessions processed elsewhere)', async () => {
    const sessions = [...allSessionFixtures(), resumedCopy(loadSessionFixture('claude-fix-test.session.json'), 'resumed-copy')];
    const scores = Object.fromEntries(sessions.map((session, index) => [session.id, [0.5, 0.1, 0.6, 0.7, 0.9][index]!]));
    const labelsOf = (session: Session) => ({ score: scores[session.id]!, beads: [`gt-${session.id.slice(0, 4)}`] });
    // pir-rename scores below the minimum; the resumed copy outscores its original, so the tie-break turns round.
    const options: DatasetBuilderOptions = { redaction, validationRatio: 0.5, formats: ['openai', 'atif'], minScore: 0.2 };
    const upFront = await createDatasetBuilder(options);
    for (const session of sessions) await upFront.addSession(session, labelsOf(session));
    const recorded: string[] = [];
    const late = await createDatasetBuilder({ ...options, recordProcessed: (line) => void recorded.push(line) });
    const keys = new Map<Session, string>();
    for (const session of sessions) {
      const result = await late.addSession(session);
      if (result.status === 'accepted') keys.set(session, result.key);
    }
    for (const [session, key] of [...keys].reverse()) await late.labelSession(key, labelsOf(session));
    // What a shard records: processed lines, then late-labels lines, taken back by another builder.
    const replayed = await createDatasetBuilder(options);
    for (const [index, line] of recorded.entries()) await replayed.addProcessedLine(line, `recorded:${index + 1}`);
    // Processed as a worker does (createBuilderProcessor), handed over as objects, labelled late.
    const processor = await createBuilderProcessor(options);
    const handedOver = await createDatasetBuilder(options);
    for (const session of sessions) {
      const result = await handedOver.addProcessedSession(await processor.process(session));
      if (result.status === 'accepted') await handedOver.labelSession(result.key, labelsOf(session));
    }
    // Held in a spill file until finish() (the bookkeeping of each session too), labelled twice: the later score wins, the earlier beads stay.
    const spill = mkdtempSync(join(tmpdir(), 'forge-transform-spill-'));
    const spilled = await createDatasetBuilder({ ...options, spillDirectory: spill });
    for (const session of sessions) {
      const result = await spilled.addSession(session);
      if (result.status === 'accepted') {
        await spilled.labelSession(result.key, { ...labelsOf(session), score: 0 });
        await spilled.labelSession(result.key, { score: labelsOf(session).score });
      }
    }
    const expected = upFront.finish();
    expect(expected.manifest.skipped.map((item) => item.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/below the minimum score/), expect.stringMatching(/^near duplicate of pi:resumed-copy/)]));
    const spilledDataset = spilled.finish();
    onTestFinished(() => {
      spilledDataset.close();
      rmSync(spill, { recursive: true, force: true });
    });
    for (const dataset of [late.finish(), replayed.finish(), handedOver.finish(), spilledDataset]) {
      expect(dataset.manifest).toEqual(expected.manifest);
      for (const format of ['openai', 'atif']) {
        for (const split of ['train', 'validation'] as const) expect([...dataset.rows(format, split)]).toEqual([...expected.rows(format, split)]);
      }
    }
    // ATIF embeds the labels: the late score is in the row.
    const trajectory = JSON.parse(expected.formats.atif!.train[0] ?? expected.formats.atif!.validation[0]!) as { session_id: string; extra: { forge: { score: number } } };
    expect(trajectory.extra.forge.score).toBe(scores[trajectory.session_id]);
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
