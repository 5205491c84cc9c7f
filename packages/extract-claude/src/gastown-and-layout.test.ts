import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSession, type Session } from '@forge/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from './test-support/temp-dirs.js';
import { discoverClaudeSessions } from './discover-claude-sessions.js';
import { extractClaudeSessions } from './extract-claude-sessions.js';

const cwd = '/home/ubuntu/gt/gastown/polecats/toast/gastown';
const sessionId = randomUUID();

function line(type: 'user' | 'assistant' | 'attachment', uuid: string, parentUuid: string | null, body: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ parentUuid, isSidechain: false, type, uuid, timestamp: '2026-09-01T08:00:00.000Z', sessionId, cwd, gitBranch: 'polecat/toast/gt-abc12', version: '2.1.300', ...body, ...extra });
}

const assistant = (uuid: string, parent: string, content: unknown[]) =>
  line('assistant', uuid, parent, { message: { id: `msg_${uuid.slice(0, 8)}`, model: 'claude-opus-4-7', role: 'assistant', content, stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 2 } }, requestId: `req_${uuid.slice(0, 8)}` });

async function writeLines(path: string, lines: string[]): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, lines.join('\n') + '\n');
}

async function extract(root: string): Promise<Session[]> {
  const sessions: Session[] = [];
  for await (const session of extractClaudeSessions({ roots: [root] })) sessions.push(parseSession(session));
  return sessions;
}

afterAll(removeTempDirs);

describe('extractClaudeSessions', () => {
  it('should classify Gas Town beacons, nudges and hook output and detect the polecat from the cwd', async () => {
    const root = await makeTempDir('forge-claude-gastown-');
    const [u1, h1, a1, u2, a2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const beacon = '[GAS TOWN] polecat toast (rig: gastown) <- witness • 2026-09-01T08:00 • assigned:gt-abc12\n\nRun `gt prime --hook` and begin work on your hook.';
    await writeLines(join(root, 'projects', '-home-ubuntu-gt-gastown-polecats-toast-gastown', `${sessionId}.jsonl`), [
      line('user', u1, null, { message: { role: 'user', content: beacon } }),
      line('attachment', h1, u1, { attachment: { type: 'hook_success', hookName: 'SessionStart:startup', stdout: 'gt prime output', exitCode: 0 } }),
      assistant(a1, h1, [{ type: 'text', text: 'Working on gt-abc12.' }]),
      line('user', u2, a1, { message: { role: 'user', content: '[from gastown/witness] Status on gt-abc12?' } }),
      assistant(a2, u2, [{ type: 'text', text: 'Almost done.' }]),
    ]);
    const [session] = await extract(root);
    expect(session!.messages.map((message) => message.provenance)).toEqual(['gastown-beacon', 'hook-output', 'conversation', 'gastown-nudge', 'conversation']);
    expect(session!.gastown).toMatchObject({ role: 'polecat', rig: 'gastown', name: 'toast', beadIds: ['gt-abc12'] });
    expect(session!.gastown?.beacon).toMatchObject({ sender: 'witness', topic: 'assigned', beadId: 'gt-abc12' });
  });

  it('should find subagents nested at any depth, skip journals and tool-results, and link by meta.json', async () => {
    const root = await makeTempDir('forge-claude-layout-');
    const project = join(root, 'projects', '-home-dev-nested');
    const [u1, a1] = [randomUUID(), randomUUID()];
    const toolUseId = 'toolu_01NESTEDNESTEDNESTED00';
    await writeLines(join(project, `${sessionId}.jsonl`), [
      line('user', u1, null, { message: { role: 'user', content: 'go' } }),
      assistant(a1, u1, [{ type: 'tool_use', id: toolUseId, name: 'Agent', input: { prompt: 'deep work', subagent_type: 'Explore', description: 'Deep' } }]),
    ]);
    const sub = join(project, sessionId, 'subagents', 'workflows', 'run-1');
    const [s1, s2] = [randomUUID(), randomUUID()];
    await writeLines(join(sub, 'agent-a0123456789abcdef.jsonl'), [
      line('user', s1, null, { message: { role: 'user', content: 'deep work' } }, { isSidechain: true, agentId: 'a0123456789abcdef' }),
      assistant(s2, s1, [{ type: 'text', text: 'done deep' }]),
    ]);
    await writeFile(join(sub, 'agent-a0123456789abcdef.meta.json'), JSON.stringify({ agentType: 'Explore', description: 'Deep', toolUseId }));
    await writeLines(join(sub, 'journal.jsonl'), [JSON.stringify({ type: 'started' })]);
    await writeLines(join(project, sessionId, 'tool-results', 'toolu_x.jsonl'), [JSON.stringify({ type: 'user' })]);

    const files = [];
    for await (const file of discoverClaudeSessions({ roots: [root] })) files.push(file);
    expect(files.map((file) => [file.kind, file.agentId ?? null])).toEqual([
      ['session', null],
      ['subagent', 'a0123456789abcdef'],
    ]);
    expect(files[1]!.metaPath).toBeDefined();
    const sessions = await extract(root);
    const subagent = sessions.find((session) => session.isSubagent)!;
    expect(subagent.parent).toEqual({ sessionId, toolCallId: toolUseId });
    expect(subagent.agent).toEqual({ id: 'a0123456789abcdef', type: 'Explore', description: 'Deep' });
  });
});
