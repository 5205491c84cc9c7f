import { describe, expect, it } from 'vitest';
import { session } from './__fixtures__/examples.js';
import { provenanceClass, provenanceKinds } from './provenance.js';
import { parseSession, safeParseSession } from './session.js';
import { addUsage, emptyUsage } from './usage.js';
import { summarizeSession } from './session-summary.js';

describe('parseSession', () => {
  it('should keep every field of a full session', () => {
    expect(parseSession(session)).toEqual(session);
  });

  it('should accept a minimal session with no messages and no optional fields', () => {
    const minimal = {
      schemaVersion: 1,
      id: 's',
      source: 'claude-code',
      files: ['/a.jsonl'],
      cwd: '/',
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: '2026-01-01T00:00:00.000Z',
      models: [],
      branch: { leafId: null, isActive: true },
      isSubagent: false,
      usage: emptyUsage(),
      messages: [],
      warnings: [],
    };
    expect(parseSession(minimal)).toEqual(minimal);
  });

  it('should keep the synthetic tag of a generated session', () => {
    const synthetic = {
      batchId: '2026-12-05T00-45-06Z',
      runId: 'witness-off-1',
      harness: 'pi' as const,
      harnessVersion: '0.73.1',
      role: 'witness' as const,
      template: { file: '/templates/witness.toml', sha256: 'ab'.repeat(32), task: 'stalled-polecat' },
      parameters: { thinking: 'off', model: 'claude-sonnet-4-5', tools: ['read', 'bash'] },
      variables: { rig: 'myrig' },
    };
    expect(parseSession({ ...session, synthetic }).synthetic).toEqual(synthetic);
    expect(safeParseSession({ ...session, synthetic: { ...synthetic, harness: 'claude-code' } }).success).toBe(false);
  });

  it('should reject a future schema version and a session without files', () => {
    expect(safeParseSession({ ...session, schemaVersion: 2 }).success).toBe(false);
    expect(safeParseSession({ ...session, files: [] }).success).toBe(false);
  });

  it('should keep tool call arguments as the raw JSON string', () => {
    const weird = '{"b": 1,  "a": [1,2]}';
    const parsed = parseSession({ ...session, messages: [{ ...session.messages[1]!, toolCalls: [{ id: 'c', name: 'n', arguments: weird }] }] });
    expect(parsed.messages[0]!.toolCalls[0]!.arguments).toBe(weird);
  });

  it('should reject tool call arguments that are objects rather than strings', () => {
    const result = safeParseSession({ ...session, messages: [{ ...session.messages[1]!, toolCalls: [{ id: 'c', name: 'n', arguments: { a: 1 } }] }] });
    expect(result.success).toBe(false);
  });
});

describe('addUsage', () => {
  it('should add field by field', () => {
    expect(addUsage({ input: 1, output: 2, cacheRead: 3, cacheWrite: 4 }, { input: 10, output: 20, cacheRead: 30, cacheWrite: 40 })).toEqual({
      input: 11,
      output: 22,
      cacheRead: 33,
      cacheWrite: 44,
    });
  });

  it('should sum recorded costs, keep them from an empty start, and make the cost unknown once a part with tokens has none', () => {
    const priced = { input: 1, output: 2, cacheRead: 3, cacheWrite: 4, cost: 0.25 };
    const unpriced = { input: 1, output: 0, cacheRead: 0, cacheWrite: 0 };
    expect(addUsage(emptyUsage(), priced).cost).toBe(0.25);
    expect(addUsage(priced, { ...priced, cost: 0.5 }).cost).toBe(0.75);
    expect(addUsage(priced, unpriced).cost).toBeUndefined();
    expect(addUsage(addUsage(priced, unpriced), priced).cost).toBeUndefined();
    expect(addUsage(emptyUsage(), unpriced)).not.toHaveProperty('cost');
  });
});

describe('provenanceClass', () => {
  it('should put every provenance in a class, with the policy-relevant ones where transforms expect them', () => {
    for (const kind of provenanceKinds) expect(['conversation', 'context', 'noise', 'orchestration']).toContain(provenanceClass(kind));
    expect(provenanceClass('conversation')).toBe('conversation');
    expect(provenanceClass('compaction-summary')).toBe('context');
    expect(provenanceClass('system-reminder')).toBe('noise');
    expect(provenanceClass('gastown-beacon')).toBe('orchestration');
    expect(provenanceClass('gastown-nudge')).toBe('orchestration');
  });
});

describe('summarizeSession', () => {
  it('should count turns, tool calls, errors, reasoning states and usage', () => {
    const summary = summarizeSession(session);
    expect(summary).toMatchObject({
      source: 'pir',
      role: 'polecat',
      userTurns: 1,
      assistantTurns: 2,
      toolCalls: 1,
      toolErrors: 1,
      reasoning: { present: 1, hollow: 1 },
      usage: session.usage,
      warnings: 1,
    });
  });
});
