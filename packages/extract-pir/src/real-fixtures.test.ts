import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSession, type Usage } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { readRealFixtureExpectations, type RealFixtureFile } from '@forge-internal/test-agents';
import { discoverPiSessions } from './discover-pi-sessions.js';
import { readPiSession } from './read-pi-session.js';
import { realFixtures } from './test-support/fixture-paths.js';
import { countTrajectory } from '@forge-internal/test-agents';

const piFamily = readRealFixtureExpectations().filter((entry) => entry.client === 'pi' || entry.client === 'omp');

/**
 * What the file should hold for the usage the stub served. Over the OpenAI chat API pi stores
 * `input = prompt_tokens - cached_tokens` and no cache writes (fixtures/real/README.md), and the
 * stub's prompt_tokens include the cache-creation tokens.
 */
function storedUsage(expected: RealFixtureFile['expected']): Usage {
  const { input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens } = expected.usage;
  return expected.openai
    ? { input: input_tokens + cache_creation_input_tokens, output: output_tokens, cacheRead: cache_read_input_tokens, cacheWrite: 0 }
    : { input: input_tokens, output: output_tokens, cacheRead: cache_read_input_tokens, cacheWrite: cache_creation_input_tokens };
}

describe('readPiSession', () => {
  it('should cover every pi and omp file of expected.json', () => {
    expect(piFamily.map((entry) => entry.client).sort()).toEqual(['omp', 'omp', 'pi', 'pi', 'pi']);
  });

  describe.each(piFamily)('real $client file $file', ({ file, client, expected }) => {
    it('should match the counts and usage the stub served', async () => {
      const sessions = (await readPiSession(join(realFixtures, file))).map((session) => parseSession(session));
      expect(sessions).toHaveLength(1);
      expect(sessions[0]!.source).toBe(client);
      expect(sessions[0]!.warnings).toEqual([]);
      const counts = countTrajectory(sessions);
      expect(counts).toEqual({
        userPrompts: expected.userPrompts,
        assistantMessages: expected.assistantMessages,
        toolCalls: expected.toolCalls,
        toolResults: expected.toolResults,
        toolErrors: expected.toolErrors,
        thinkingMessages: expected.thinkingBlocks,
        usage: storedUsage(expected),
        models: expected.models,
      });
    });

    it('should total the cost the harness recorded per response, and record none where every cost is 0 (an unpriced model)', async () => {
      const [session] = await readPiSession(join(realFixtures, file));
      // These files write one entry per response: the recorded cost is the sum of the assistant entries' cost.total.
      const recorded = readFileSync(join(realFixtures, file), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"role":"assistant"'))
        .reduce((total, line) => total + ((JSON.parse(line) as { message: { usage?: { cost?: { total?: number } } } }).message.usage?.cost?.total ?? 0), 0);
      if (recorded === 0) expect(session!.usage).not.toHaveProperty('cost');
      else expect(session!.usage.cost).toBeCloseTo(recorded, 12);
    });

    it('should take the Gas Town polecat from the recorded cwd', async () => {
      const [session] = await readPiSession(join(realFixtures, file));
      expect(session!.cwd).toBe('/home/ubuntu/gt/myrig/polecats/nux');
      expect(session!.gastown).toMatchObject({ role: 'polecat', rig: 'myrig', name: 'nux' });
    });
  });
});

describe('discoverPiSessions', () => {
  it('should find the real pi and omp files under their own roots with the right flavor', async () => {
    const handles = [];
    for await (const handle of discoverPiSessions({
      roots: [join(realFixtures, 'pi/.pi/agent/sessions'), join(realFixtures, 'omp/.omp/agent/sessions')],
    })) {
      handles.push(handle);
    }
    const expectedFiles = piFamily.map((entry) => join(realFixtures, entry.file)).sort();
    expect(handles.map((handle) => handle.path).sort()).toEqual(expectedFiles);
    for (const handle of handles) {
      const client = piFamily.find((entry) => join(realFixtures, entry.file) === handle.path)?.client;
      expect(handle.source).toBe(client);
      expect(handle.foundBy).toBe('scan');
      expect(handle.cwd).toBe('/home/ubuntu/gt/myrig/polecats/nux');
      const [session] = await readPiSession(handle.path, { source: handle.source });
      expect(handle.id).toBe(session!.id);
    }
  });
});
