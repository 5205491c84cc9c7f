import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRealFixtureExpectations } from '@forge-internal/test-agents';
import { parseSession } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { readPiSession } from './read-pi-session.js';

const importedFolder = join(import.meta.dirname, '__fixtures__', 'omp-from-claude', '.omp', 'agent', 'sessions', '-gt-myrig-polecats-nux');
const imported = join(importedFolder, readdirSync(importedFolder)[0] ?? '');
const original = 'claude/.claude/projects/-home-ubuntu-gt-myrig-polecats-nux/785d9c5e-608b-4153-be11-9b182a683525.jsonl';

describe('omp sessions imported from Claude Code', () => {
  it('should give one assistant message per model response, with the calls, results and usage the model sent', async () => {
    const expected = readRealFixtureExpectations().find((entry) => entry.file === original)?.expected;
    expect(expected).toBeDefined();
    const [session] = await readPiSession(imported);
    parseSession(session);
    expect(session!.source).toBe('omp');
    const assistants = session!.messages.filter((message) => message.role === 'assistant');
    expect(assistants).toHaveLength(expected!.assistantMessages);
    expect(assistants.flatMap((message) => message.toolCalls)).toHaveLength(expected!.toolCalls);
    expect(session!.messages.filter((message) => message.toolResult?.isError === true)).toHaveLength(expected!.toolErrors);
    // Each tool result right after the response that called it.
    for (const [position, message] of session!.messages.entries()) {
      if (message.role !== 'tool') continue;
      const caller = session!.messages.slice(0, position).findLast((candidate) => candidate.role === 'assistant');
      expect(caller?.toolCalls.map((call) => call.id)).toContain(message.toolResult?.toolCallId);
    }
    const { input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens } = expected!.usage;
    expect(session!.usage).toEqual({ input: input_tokens, output: output_tokens, cacheRead: cache_read_input_tokens, cacheWrite: cache_creation_input_tokens });
    // A merged response keeps every entry id, then the response id.
    expect(assistants[0]?.sourceIds).toEqual([expect.stringMatching(/^claude-/u), expect.stringMatching(/^claude-/u), expect.stringMatching(/^msg_/u)]);
  });
});
