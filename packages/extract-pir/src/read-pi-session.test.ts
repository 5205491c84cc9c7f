import { join } from 'node:path';
import { parseSession, type Message, type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { rawLineBatchesOf } from '@forge/reader-kit';
import { indexPiFile } from './index-pi-file.js';
import { readPiSession } from './read-pi-session.js';
import { activeLeaf, pathTo } from './stream-pi-session.js';
import { piFixtureSessions } from './test-support/fixture-paths.js';

/** pi-family.md §9 context names → the canonical role and provenance they map to. */
const contextNames: Record<string, [Message['role'], Message['provenance']]> = {
  user: ['user', 'conversation'],
  assistant: ['assistant', 'conversation'],
  toolResult: ['tool', 'conversation'],
  compactionSummary: ['user', 'compaction-summary'],
  branchSummary: ['user', 'branch-summary'],
  custom: ['user', 'custom'],
  bashExecution: ['user', 'user-shell'],
};

interface FixtureExpectation {
  file: string;
  entries: number;
  badLines: number[];
  indexMessages: number;
  /** An entry id, or 'last' for the last entry in file order. */
  leaf: string;
  pathLength: number;
  leaves: number | string[];
  context: string[];
  name?: string;
}

// The §9 table of pi-family.md, transcribed.
const table: FixtureExpectation[] = [
  { file: '--home-ubuntu-gt-deacon--/2026-08-10T09-15-02.481Z_7c1e4b2a.jsonl', entries: 4, badLines: [], indexMessages: 2, leaf: '9b3a7c61', pathLength: 4, leaves: 1, context: ['user', 'assistant'] },
  {
    file: '--home-ubuntu-gt-deacon--/2026-08-10T14-02-41.077Z_e2d94f70.jsonl',
    entries: 14,
    badLines: [],
    indexMessages: 12,
    leaf: '5f3e8b0c',
    pathLength: 14,
    leaves: 1,
    context: ['user', ...Array.from({ length: 5 }, () => ['assistant', 'toolResult']).flat(), 'assistant'],
  },
  { file: '--home-ubuntu-gt-myrig-polecats-nux--/2026-08-11T16-40-19.905Z_4b8f21c7.jsonl', entries: 6, badLines: [], indexMessages: 4, leaf: 'e09f4b36', pathLength: 6, leaves: 1, context: ['user', 'assistant', 'toolResult', 'assistant'] },
  {
    file: '--home-ubuntu-gt-myrig-polecats-nux--/2026-08-12T08-05-33.214Z_9d0e7a5f.jsonl',
    entries: 17,
    badLines: [],
    indexMessages: 12,
    leaf: '1c7b3e90',
    pathLength: 13,
    leaves: ['1c7b3e90', '62f8d0a4'],
    context: ['compactionSummary', 'user', 'assistant', 'toolResult', 'assistant', 'user', 'assistant', 'toolResult', 'assistant'],
  },
  {
    file: '--home-ubuntu-gt-mayor--/2026-08-09T19-22-08.630Z_51f3c8e0.jsonl',
    entries: 14,
    badLines: [],
    indexMessages: 8,
    leaf: 'b8e0a4c3',
    pathLength: 14,
    leaves: 1,
    context: ['user', 'assistant', 'user', 'assistant', 'custom', 'bashExecution', 'user', 'assistant'],
    name: 'mayor: myrig convoy plan',
  },
  { file: '--home-ubuntu-gt-mayor--/2026-08-12T22-47-51.339Z_c07a4d92.jsonl', entries: 5, badLines: [7], indexMessages: 3, leaf: 'a1d6f0c8', pathLength: 5, leaves: 1, context: ['user', 'assistant', 'toolResult'] },
  {
    file: '--home-ubuntu-gt-deacon--/2026-08-11T07-02-44-118Z_1b9d5e3c-8f2a-4c6b-a0d7-5e4f3c2b1a09.jsonl',
    entries: 8,
    badLines: [],
    indexMessages: 2,
    leaf: '07b3d9a2',
    pathLength: 8,
    leaves: 1,
    context: ['user', 'custom', 'assistant'],
    name: 'deacon changelog',
  },
  { file: '--home-ubuntu-gt-mayor--/2025-11-20T23-33-50-805Z_6e2a0d4f-3b8c-4f1e-9a57-d0c4b2e8f613.jsonl', entries: 4, badLines: [], indexMessages: 3, leaf: 'last', pathLength: 4, leaves: 1, context: ['compactionSummary', 'user', 'assistant', 'user'] },
];

function rolesOf(session: Session): Array<[Message['role'], Message['provenance']]> {
  return session.messages.map((message) => [message.role, message.provenance]);
}

describe('readPiSession', () => {
  describe.each(table)('fixture $file', (expected) => {
    const path = join(piFixtureSessions, expected.file);

    it('should find the entries, leaf, path and leaves of pi-family.md §9', async () => {
      const index = await indexPiFile(path, rawLineBatchesOf(readFileSync(path)), false);
      expect(index).toBeDefined();
      expect(index!.count).toBe(expected.entries);
      expect(index!.messageCount).toBe(expected.indexMessages);
      const leaf = activeLeaf(index!);
      expect(leaf).toBe(expected.leaf === 'last' ? index!.count - 1 : index!.idIndex.get(expected.leaf));
      expect(pathTo(index!, leaf).path).toHaveLength(expected.pathLength);
      if (typeof expected.leaves === 'number') expect(index!.leaves).toHaveLength(expected.leaves);
      else expect(index!.leaves).toEqual(expected.leaves.map((id) => index!.idIndex.get(id)));
    });

    it('should return the active branch as the LLM context of §2.6, valid against the schema', async () => {
      const sessions = await readPiSession(path);
      expect(sessions).toHaveLength(1);
      const session = parseSession(sessions[0]);
      expect(rolesOf(session)).toEqual(expected.context.map((name) => contextNames[name]));
      expect(session.branch.isActive).toBe(true);
      expect(session.files).toEqual([path]);
      expect(session.warnings.filter((warning) => warning.kind === 'truncated-line' || warning.kind === 'invalid-json').map((warning) => warning.line)).toEqual(expected.badLines);
      if (expected.name != null) expect(session.title).toBe(expected.name);
    });
  });

  it('should return one trajectory per leaf with branches "all", the active one marked (§9 two-leaf file)', async () => {
    const path = join(piFixtureSessions, '--home-ubuntu-gt-myrig-polecats-nux--/2026-08-12T08-05-33.214Z_9d0e7a5f.jsonl');
    const sessions = (await readPiSession(path, { branches: 'all' })).map((session) => parseSession(session));
    expect(sessions.map((session) => [session.branch.leafId, session.branch.isActive])).toEqual([
      ['1c7b3e90', true],
      ['62f8d0a4', false],
    ]);
    // §9: what a reader that ignores leafId sees, i.e. the other leaf's context.
    const other = ['compactionSummary', 'user', 'assistant', 'toolResult', 'assistant', 'branchSummary', 'user', 'assistant'];
    expect(rolesOf(sessions[1]!)).toEqual(other.map((name) => contextNames[name]));
    expect(new Set(sessions.map((session) => session.id)).size).toBe(2);
    expect(sessions[1]!.messages[5]!.text).toContain('Tried option A');
  });

  it('should keep entries before firstKeptEntryId out of the context and put the summary first', async () => {
    const path = join(piFixtureSessions, '--home-ubuntu-gt-myrig-polecats-nux--/2026-08-12T08-05-33.214Z_9d0e7a5f.jsonl');
    const [session] = await readPiSession(path);
    const texts = session!.messages.map((message) => message.text);
    expect(texts[0]).toMatch(/^The conversation history before this point was compacted into the following summary:\n\n<summary>\n## Goal/u);
    expect(texts.some((text) => text.includes('TestConvoyRetry is flaky'))).toBe(false);
    expect(texts[1]).toBe('Show me the retry logic.');
  });

  it('should map tool calls with JSON-string arguments and tool results with their error flag', async () => {
    const path = join(piFixtureSessions, '--home-ubuntu-gt-deacon--/2026-08-10T14-02-41.077Z_e2d94f70.jsonl');
    const [session] = await readPiSession(path);
    const calls = session!.messages.flatMap((message) => message.toolCalls);
    expect(calls.map((call) => call.name)).toEqual(['bash', 'grep', 'read', 'edit', 'bash']);
    expect(JSON.parse(calls[4]!.arguments)).toEqual({ command: 'go test ./internal/patrol/...', timeout: 120 });
    const results = session!.messages.filter((message) => message.role === 'tool').map((message) => message.toolResult);
    expect(results.map((result) => result?.isError)).toEqual([true, true, false, false, false]);
    expect(results.map((result) => result?.toolCallId)).toEqual(calls.map((call) => call.id));
    expect(results[1]?.text).toBe("Error: Tool 'grep' not found");
    const edit = session!.messages.find((message) => message.toolResult?.toolName === 'edit');
    expect(edit?.metadata?.details).toMatchObject({ firstChangedLine: 7 });
  });

  it('should mark thinking present, redacted thinking hollow, and replace images by a placeholder', async () => {
    const path = join(piFixtureSessions, '--home-ubuntu-gt-myrig-polecats-nux--/2026-08-11T16-40-19.905Z_4b8f21c7.jsonl');
    const [session] = await readPiSession(path);
    const [user, first, , last] = session!.messages;
    expect(user!.text).toContain('[image: image/png]');
    expect(user!.text).not.toContain('iVBORw0KGgo');
    expect(user!.attachments).toEqual([{ kind: 'image', mimeType: 'image/png' }]);
    expect(first!.reasoning.state).toBe('present');
    expect(first!.reasoning.text).toMatch(/^The screenshot shows nux/u);
    // redacted_thinking next to a readable thinking block: the text that exists is kept.
    expect(last!.reasoning).toEqual({ state: 'present', text: 'gt-4790 is the blocker. Summarize that for the user.' });
  });

  it('should read TS pi v3 files: redacted thinking is hollow, custom_message is context, labels do not break the path', async () => {
    const path = join(piFixtureSessions, '--home-ubuntu-gt-deacon--/2026-08-11T07-02-44-118Z_1b9d5e3c-8f2a-4c6b-a0d7-5e4f3c2b1a09.jsonl');
    const [session] = await readPiSession(path);
    expect(session!.source).toBe('pi');
    const [, custom, assistant] = session!.messages;
    expect(custom!.text).toBe('Rig: deacon. Last convoy: myrig (landed).');
    expect(custom!.metadata).toMatchObject({ customType: 'gt-context', display: false });
    expect(assistant!.reasoning).toEqual({ state: 'hollow' });
    // TS pi priced the response: usage.cost.total 0.003051 USD.
    expect(assistant!.usage).toEqual({ input: 812, output: 41, cacheRead: 0, cacheWrite: 0, cost: 0.003051 });
  });

  it('should record models, thinking levels per turn, stop reason and error message', async () => {
    const path = join(piFixtureSessions, '--home-ubuntu-gt-mayor--/2026-08-09T19-22-08.630Z_51f3c8e0.jsonl');
    const [session] = await readPiSession(path);
    expect(session!.source).toBe('pir');
    expect(session!.models).toEqual(['claude-sonnet-4-5', 'gpt-5.1-codex']);
    expect(session!.thinkingLevels).toEqual(['xhigh', 'medium']);
    const assistants = session!.messages.filter((message) => message.role === 'assistant');
    expect(assistants.map((message) => message.thinkingLevel)).toEqual(['medium', 'xhigh', 'xhigh']);
    // openai-responses thinking without a signature is still readable thinking.
    expect(assistants[1]!.reasoning.state).toBe('present');
    expect(assistants[2]).toMatchObject({ stopReason: 'error', errorMessage: 'Provider error: openai: stream disconnected before completion', provider: 'openai' });
    const shell = session!.messages.find((message) => message.provenance === 'user-shell');
    expect(shell!.text).toBe('Ran `gt convoy status myrig`\n```\nCONVOY  STATE    POLECATS\nmyrig   staged   nux,rictus,slit\n\n```');
    expect(shell!.metadata).toMatchObject({ excludeFromContext: true, exitCode: 0 });
  });

  it('should migrate a legacy v1 file in memory with a warning', async () => {
    const path = join(piFixtureSessions, '--home-ubuntu-gt-mayor--/2025-11-20T23-33-50-805Z_6e2a0d4f-3b8c-4f1e-9a57-d0c4b2e8f613.jsonl');
    const [session] = await readPiSession(path);
    expect(session!.warnings.map((warning) => warning.kind)).toEqual(['migrated']);
    expect(session!.messages[0]!.text).toContain('User asked which rigs exist: myrig, beads.');
    expect(session!.messages.at(-1)!.text).toBe('and which one is busiest?');
  });

  it('should take Gas Town context from the header cwd', async () => {
    const deacon = await readPiSession(join(piFixtureSessions, '--home-ubuntu-gt-deacon--/2026-08-10T09-15-02.481Z_7c1e4b2a.jsonl'));
    expect(deacon[0]!.gastown).toMatchObject({ role: 'deacon' });
    const polecat = await readPiSession(join(piFixtureSessions, '--home-ubuntu-gt-myrig-polecats-nux--/2026-08-11T16-40-19.905Z_4b8f21c7.jsonl'));
    expect(polecat[0]!.gastown).toMatchObject({ role: 'polecat', rig: 'myrig', name: 'nux' });
  });
});
