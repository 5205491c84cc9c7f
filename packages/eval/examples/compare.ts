// compareGroups on two scored sessions, and the Wilson interval behind its closure rates.
// Run from packages/eval: npx tsx examples/compare.ts
import { type Session, type SessionScore } from '@forge/schema';
// Inside the repo this file imports the sources; in your project: from '@forge/eval'.
import { compareGroups, wilsonInterval } from '../src/index.js';

const session = (id: string, model: string): Session => ({
  schemaVersion: 1,
  id,
  source: 'pi',
  files: [`/s/${id}.jsonl`],
  cwd: '/w',
  startedAt: '2026-12-01T10:00:00.000Z',
  endedAt: '2026-12-01T10:05:00.000Z',
  models: [model],
  branch: { leafId: null, isActive: true },
  isSubagent: false,
  usage: { input: 100, output: 50, cacheRead: 0, cacheWrite: 0 },
  messages: [{ role: 'assistant', text: 'done', reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' }],
  warnings: [],
});
const score = (id: string, tier: 'first-try' | 'reopened'): SessionScore => ({
  sessionId: id,
  source: 'pi',
  file: `/s/${id}.jsonl`,
  score: tier === 'first-try' ? 0.9 : 0.3,
  outcomeKnown: true,
  outcome: { beads: [{ id: `gt-${id}`, status: 'closed', attempts: 1, firstTry: tier === 'first-try', reopened: tier === 'reopened', redispatched: false, noChanges: false, merged: false, attempt: 1, tier, evidence: [] }], commits: [], codeSurvival: null },
  signals: {},
  reasons: [],
  links: { beads: [], segments: [] },
});

// Neither transcript records a cost: kimi-k2 is priced here (USD per million tokens), qwen3-coder is not.
const prices = { 'kimi-k2': { input: 0.6, output: 2.5 } };
const result = compareGroups([session('a', 'kimi-k2'), session('b', 'qwen3-coder')], [score('a', 'first-try'), score('b', 'reopened')], 'model', { prices });
for (const group of result.groups) console.log(group.group, group.firstTryClosureRate, group.firstTryClosureInterval, group.tokensPerClosedBead, group.costPerClosedBead);
for (const note of result.notes) console.log(note);
console.log(wilsonInterval(8, 10));
