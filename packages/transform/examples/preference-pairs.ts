// Two branches of one pi session file (the user retried the last prompt): planPairs pairs the
// active branch (chosen) with the abandoned one (rejected); the builder's merge-time hook writes
// the dpo-trl row. Run from packages/transform: npx tsx examples/preference-pairs.ts
import { type Session } from '@forge/schema';
// Inside the repo this file imports the sources; in your project: from '@forge/transform'.
import { createDatasetBuilder, planPairs } from '../src/index.js';

const turn = (role: 'user' | 'assistant', text: string): Session['messages'][number] => ({ role, text, reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' });
const branch = (id: string, leafId: string, isActive: boolean, answer: string): Session => ({
  schemaVersion: 1,
  id,
  source: 'pi',
  files: ['/home/alice/.pi/agent/sessions/--home-alice-src--/2026-12-01T10-00-00.000Z_tree.jsonl'],
  cwd: '/home/alice/src',
  startedAt: '2026-12-01T10:00:00.000Z',
  endedAt: '2026-12-01T10:05:00.000Z',
  models: ['kimi-k2'],
  branch: { leafId, isActive },
  isSubagent: false,
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  messages: [turn('user', 'How should greet() handle an empty name?'), turn('assistant', answer)],
  warnings: [],
});

const sessions = [branch('tree', 'b2', true, 'Return "Hello, stranger." when the name is empty.'), branch('tree@b1', 'b1', false, 'Just delete the function.')];
const builder = await createDatasetBuilder({ formats: ['dpo-trl'], validationRatio: 0, redaction: { homeDirectory: '/home/alice', userName: 'alice' } });
// An abandoned branch is preference material only: it gives no SFT row.
for (const session of sessions) await builder.addSession(session, session.branch.isActive ? {} : { preferenceOnly: true });
const plan = planPairs(sessions.map((session) => ({ sessionId: session.id, source: session.source, file: session.files[0]!, branch: session.branch, score: null })));
const dataset = builder.finish(plan);
for (const row of dataset.rows('dpo-trl', 'train')) {
  console.log(JSON.stringify(row.labels.preference));
  const record = JSON.parse(row.line) as { prompt: { role: string; content: string }[]; chosen: { content: string }[]; rejected: { content: string }[] };
  console.log(record.prompt.map((message) => `${message.role}: ${message.content}`).join('\n'));
  console.log(`chosen:   ${record.chosen[0]!.content}\nrejected: ${record.rejected[0]!.content}`);
}
dataset.close();
