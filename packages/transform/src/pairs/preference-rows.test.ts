import { type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { createDatasetBuilder } from '../dataset-builder.js';
import { loadSessionFixture } from '../test-support/fixtures.js';
import { planPairs } from './plan-pairs.js';

/** A second branch of the fixture's file: the same turns up to the last answer, then `answer`. */
function branch(session: Session, leafId: string, answer: string): Session {
  const messages = session.messages.map((message, index) => (index === session.messages.length - 1 ? { ...message, text: answer } : message));
  return { ...session, id: `${session.id}@${leafId}`, branch: { leafId, isActive: false }, messages };
}

async function build(sessions: Session[], formats: string[]) {
  const builder = await createDatasetBuilder({ formats, validationRatio: 0, redaction: { homeDirectory: '/home/alice', userName: 'alice' } });
  for (const session of sessions) await builder.addSession(session, session.branch.isActive ? { score: 0.1 } : { preferenceOnly: true, score: 0.9 });
  const candidates = sessions.map((session) => ({ sessionId: session.id, source: session.source, file: session.files[0]!, branch: session.branch, score: null }));
  return builder.finish(planPairs(candidates));
}

describe('preference rows at merge time', () => {
  it('should pair two branches of one file, the abandoned one giving no SFT row', async () => {
    const active = loadSessionFixture('pir-rename.session.json');
    const dataset = await build([active, branch(active, 'leaf-2', 'I gave up on the rename.')], ['dpo-trl', 'messages']);
    const [row] = [...dataset.rows('dpo-trl', 'train')];
    expect(JSON.parse(row!.line).rejected).toMatchObject([{ role: 'assistant', content: 'I gave up on the rename.' }]);
    expect(row!.labels.preference).toMatchObject({ kind: 'sibling-branch', chosen: { sessionId: active.id }, rejected: { sessionId: `${active.id}@leaf-2` }, margin: null });
    // The abandoned branch, a near duplicate with a higher score, never pushes the active one out of the SFT rows.
    expect(dataset.formats.messages!.train).toHaveLength(1);
    expect(JSON.parse(dataset.formats.messages!.train[0]!).messages.at(-1).content).toBe(active.messages.at(-1)!.text);
    expect(dataset.manifest.counts.rowsByFormat['dpo-trl']).toEqual({ train: 1, validation: 0 });
  });

  it('should drop a pair whose sides differ only by a secret (identical after redaction), and a repeated pair', async () => {
    const active = loadSessionFixture('pir-rename.session.json');
    const last = active.messages.at(-1)!.text;
    const withKey = (key: string): string => `${last} Token: ghp_${key}`;
    const chosen = { ...active, messages: active.messages.map((message, index) => (index === active.messages.length - 1 ? { ...message, text: withKey('A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8') } : message)) };
    const dataset = await build([chosen, branch(active, 'leaf-2', withKey('Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2')), branch(active, 'leaf-3', 'Other.'), branch(active, 'leaf-4', 'Other.')], ['dpo-trl']);
    const reasons = dataset.manifest.skipped.filter((item) => item.ref.startsWith('pair:')).map((item) => item.reason);
    expect(reasons).toEqual(['chosen and rejected are identical after redaction', `exact duplicate of pair:pir:${active.id}>pir:${active.id}@leaf-3`]);
    expect([...dataset.rows('dpo-trl', 'train')]).toHaveLength(1);
  });
});
