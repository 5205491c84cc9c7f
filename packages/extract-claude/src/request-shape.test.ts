import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listSessionFiles } from '@forge-internal/test-agents';
import { parseSession } from '@forge/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { readClaudeSession } from './read-claude-session.js';
import { realRoot } from './test-support/fixtures.js';
import { makeTempDir, removeTempDirs } from './test-support/temp-dirs.js';

afterAll(removeTempDirs);

/** The `api-request-shape` lines of a transcript, parsed (what the file recorded). */
function recordedShapes(path: string): Array<{ shapeHash: string; shape: { system: Array<{ text: string }>; tools: Array<{ name: string; description: string; input_schema: unknown }> } }> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"type":"api-request-shape"'))
    .map((line) => JSON.parse(line));
}

describe('recorded system prompt and tools (Claude Code 2.1 api-request-shape)', () => {
  it('should keep the system prompt and every tool definition the model was offered, exactly as recorded', async () => {
    const files = await listSessionFiles(join(realRoot, 'claude'));
    expect(files).toHaveLength(2);
    for (const path of files) {
      const [shape] = recordedShapes(path);
      expect(shape).toBeDefined();
      const [session] = await readClaudeSession(path);
      parseSession(session);
      expect(session!.systemPrompt).toBe(shape!.shape.system.map((block) => block.text).join('\n\n'));
      expect(session!.systemPrompt).toMatch(/^You are a Claude agent, built on Anthropic's Claude Agent SDK\.\n\n\nYou are an agent/u);
      expect(session!.tools?.map((tool) => tool.function.name)).toEqual(shape!.shape.tools.map((tool) => tool.name));
      expect(session!.tools?.map((tool) => tool.function.description)).toEqual(shape!.shape.tools.map((tool) => tool.description));
      expect(session!.tools?.map((tool) => tool.function.parameters)).toEqual(shape!.shape.tools.map((tool) => tool.input_schema));
      expect(session!.tools?.find((tool) => tool.function.name === 'Bash')?.function.parameters).toMatchObject({ type: 'object', properties: { command: { type: 'string' } } });
    }
  });

  it('should record nothing for versions that wrote no request shape', async () => {
    for (const path of await listSessionFiles(join(realRoot, 'claude-2.0.76'))) {
      for (const session of await readClaudeSession(path)) {
        expect(session.systemPrompt).toBeUndefined();
        expect(session.tools).toBeUndefined();
      }
    }
  });

  it('should take the shape the last request used when the tools changed during the session', async () => {
    const sessionId = '0b7c5e2a-8f4d-4c1e-9a3b-2d6f8e1c4a57';
    const envelope = { sessionId, cwd: '/w', version: '2.1.330', isSidechain: false };
    const shape = (hash: string, tool: string) => JSON.stringify({ type: 'api-request-shape', sessionId, shapeHash: hash, shape: { system: [{ type: 'text', text: `prompt ${hash}` }], tools: [{ name: tool, description: `${tool} tool`, input_schema: { type: 'object' } }] } });
    const request = (hash: string) => JSON.stringify({ type: 'api-request', sessionId, shapeHash: hash });
    const lines = [
      shape('first', 'Read'),
      request('first'),
      JSON.stringify({ ...envelope, type: 'user', uuid: 'a1b2c3d4-0000-4000-8000-000000000001', parentUuid: null, timestamp: '2026-11-24T04:08:06.000Z', message: { role: 'user', content: 'hi' } }),
      shape('second', 'Write'),
      request('second'),
      request('first'),
      JSON.stringify({ ...envelope, type: 'assistant', uuid: 'a1b2c3d4-0000-4000-8000-000000000002', parentUuid: 'a1b2c3d4-0000-4000-8000-000000000001', timestamp: '2026-11-24T04:08:07.000Z', message: { id: 'msg_1', role: 'assistant', model: 'claude-opus-4-7', content: [{ type: 'text', text: 'hello' }], stop_reason: 'end_turn' } }),
    ];
    const folder = await makeTempDir('forge-claude-shape-');
    const path = join(folder, `${sessionId}.jsonl`);
    await writeFile(path, `${lines.join('\n')}\n`);
    const [session] = await readClaudeSession(path);
    expect(session!.systemPrompt).toBe('prompt first');
    expect(session!.tools?.map((tool) => tool.function.name)).toEqual(['Read']);
  });
});
