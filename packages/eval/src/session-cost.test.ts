import { type Message, type Session, type Usage } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { sessionCost } from './session-cost.js';

const response = (usage: Usage, model?: string): Message => ({ role: 'assistant', text: 'ok', reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation', usage, ...(model == null ? {} : { model }) });
const session = (messages: Message[], models: string[] = ['kimi-k2']): Session => ({
  schemaVersion: 1,
  id: 's',
  source: 'pi',
  files: ['/s/s.jsonl'],
  cwd: '/w',
  startedAt: '2026-12-01T10:00:00.000Z',
  endedAt: '2026-12-01T10:05:00.000Z',
  models,
  branch: { leafId: null, isActive: true },
  isSubagent: false,
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  messages,
  warnings: [],
});
const tokens = { input: 1000, output: 2000, cacheRead: 10_000, cacheWrite: 4000 };

describe('sessionCost', () => {
  it('should take the recorded cost per response, and price the others at their model', () => {
    // 1000 × 0.6 + 2000 × 2.5 + 10000 × 0.15 + 4000 × 0.6 (no cache-write price: the input price) = 9500 per million.
    const prices = { 'kimi-k2': { input: 0.6, output: 2.5, cacheRead: 0.15 } };
    expect(sessionCost(session([response({ ...tokens, cost: 0.02 }, 'kimi-k2'), response(tokens, 'kimi-k2')]), prices)).toEqual({ known: true, usd: 0.02 + 0.0095 });
  });

  it('should be unknown, naming the models, when a response with tokens has no cost and no price', () => {
    expect(sessionCost(session([response({ ...tokens, cost: 0.02 }, 'kimi-k2'), response(tokens, 'qwen3-coder')]))).toEqual({ known: false, unpricedModels: ['qwen3-coder'] });
    expect(sessionCost(session([response(tokens)], []))).toEqual({ known: false, unpricedModels: ['unknown'] });
  });

  it('should cost nothing without tokens', () => {
    expect(sessionCost(session([response({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 })]))).toEqual({ known: true, usd: 0 });
  });
});
