import { describe, expect, it } from 'vitest';
import { readPiSession } from '@forge/extract-pir';
import { type Session } from '@forge/schema';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createMemoryRowStore, type RowReference, type RowStore } from '../row-store.js';
import { allSessionFixtures } from '../test-support/fixtures.js';
import { ordinaryCorpora } from '../test-support/ordinary-sessions.js';
import { createSessionProcessor, type ProcessedSession, type SessionProcessorOptions } from './process-session.js';

/** A processed session with its rows' lines in place of their references. */
function withLines(processed: ProcessedSession | undefined, rows: RowStore): unknown {
  if (processed?.status !== 'accepted') return processed;
  const lines = Object.fromEntries(Object.entries(processed.rows).map(([format, references]) => [format, references.map((reference: RowReference) => rows.get(reference))]));
  return { ...processed, rows: lines };
}

/** Every branch of every shared pi fixture (compactions, bad lines, abandoned branches). */
async function piBranches(): Promise<Session[]> {
  const root = join(sharedFixturesRoot, 'pi', 'sessions');
  const sessions: Session[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.jsonl')) sessions.push(...(await readPiSession(join(entry.parentPath, entry.name), { branches: 'all' })));
  }
  return sessions;
}

describe('processPasses', () => {
  it('should give what process gives, row for row, for every fixture session streamed message by message', { timeout: 300_000 }, async () => {
    const sessions = [...allSessionFixtures(), ...(await piBranches()), ...Object.values(await ordinaryCorpora()).flat()];
    expect(sessions.length).toBeGreaterThan(40);
    // A small budget cuts most sessions into many windows (and drops units over it); the default keeps most whole.
    const variants: SessionProcessorOptions[] = [
      { formats: ['sharegpt', 'openai', 'messages', 'atif', 'dpo-trl'], tokens: { budget: 700 } },
      { formats: ['sharegpt', 'openai', 'messages', 'atif', 'kto'] },
      { formats: ['openai'], tokens: { budget: 500, overBudget: 'drop' }, noise: 'keep', systemPrompt: 'drop' },
    ];
    let windows = 0;
    for (const options of variants) {
      const wholeRows = createMemoryRowStore();
      const streamRows = createMemoryRowStore();
      const whole = await createSessionProcessor({ ...options, rowStore: wholeRows });
      const streamed = await createSessionProcessor({ ...options, rowStore: streamRows });
      for (const session of sessions) {
        const { messages, ...head } = session;
        let passes = 0;
        const processed = await streamed.processPasses({
          *messages() {
            passes += 1;
            for (const message of messages) yield structuredClone(message);
          },
          head: () => (passes > 0 ? head : undefined),
        });
        const expected = await whole.process(session, {});
        expect(withLines(processed, streamRows), `${session.source}:${session.id}`).toEqual(withLines(expected, wholeRows));
        if (expected.status === 'accepted') windows += expected.windowTokens.length;
      }
    }
    expect(windows).toBeGreaterThan(sessions.length * 2);
  });

  it('should say there is no session when the passes held none', async () => {
    const processor = await createSessionProcessor();
    expect(await processor.processPasses({ messages: () => [], head: () => undefined })).toBeUndefined();
  });
});
