import { join } from 'node:path';
import { parseSession, type Session } from '@forge/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { extractClaudeSessions } from './extract-claude-sessions.js';
import { readClaudeSession } from './read-claude-session.js';
import { samplesAsConfigDir, samplesRoot } from './test-support/fixtures.js';
import { removeTempDirs } from './test-support/temp-dirs.js';

afterAll(removeTempDirs);

// Sample R5: a real Claude Code 2.1.42 transcript with one rewind (one fork, two branches).
const rewound = join(samplesRoot, 'claude-code-log', '-experiments-ideas', '03eb5929-52b3-4b13-ada3-b93ae35806b8.jsonl');

function usageOf(messages: Session['messages']): Session['usage'] {
  const total = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  for (const message of messages) {
    if (message.usage == null) continue;
    total.input += message.usage.input;
    total.output += message.usage.output;
    total.cacheRead += message.usage.cacheRead;
    total.cacheWrite += message.usage.cacheWrite;
  }
  return total;
}

describe('Claude Code rewinds', () => {
  it('should give every branch with branches "all": the active one, and the abandoned one with its shared prefix', async () => {
    const [active] = await readClaudeSession(rewound);
    const all = (await readClaudeSession(rewound, { branches: 'all' })).map((session) => parseSession(session));
    expect(all).toHaveLength(2);
    const [first, abandoned] = all;
    expect(first).toEqual(active);
    expect(first!.branch.isActive).toBe(true);
    expect(abandoned!.branch).toEqual({ leafId: expect.any(String), isActive: false });
    expect(abandoned!.id).toBe(`${active!.id}@${abandoned!.branch.leafId}`);
    // The abandoned branch: three model responses the active one never saw (ccusage counts them, a trajectory cannot).
    const activeIds = new Set(active!.messages.flatMap((message) => message.sourceIds ?? []));
    const own = abandoned!.messages.filter((message) => !(message.sourceIds ?? []).some((id) => activeIds.has(id)));
    expect(own.filter((message) => message.role === 'assistant')).toHaveLength(3);
    expect(usageOf(own)).toEqual({ input: 9, output: 28, cacheRead: 83_497, cacheWrite: 242 });
    // Both start with the same turns: the fork comes after a shared prefix.
    expect(abandoned!.messages[0]).toEqual(active!.messages[0]);
    expect(abandoned!.usage).toEqual(usageOf(abandoned!.messages));
  });

  it('should keep an abandoned branch whole through the project step, after the active sessions', async () => {
    const root = await samplesAsConfigDir();
    const sessions: Session[] = [];
    for await (const session of extractClaudeSessions({ roots: [root], branches: 'all' })) sessions.push(session);
    const activeOnly: Session[] = [];
    for await (const session of extractClaudeSessions({ roots: [root] })) activeOnly.push(session);
    const abandoned = sessions.filter((session) => !session.branch.isActive);
    expect(abandoned).toHaveLength(1);
    expect(sessions.filter((session) => session.branch.isActive)).toEqual(activeOnly);
    expect(abandoned[0]!.warnings.some((warning) => warning.kind === 'duplicate')).toBe(false);
  });
});
