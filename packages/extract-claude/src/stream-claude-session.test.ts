import { randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSession, type Message, type Session, type SessionWarning } from '@forge/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { readClaudeSession } from './read-claude-session.js';
import { streamClaudeSession } from './stream-claude-session.js';
import { handWrittenRoot, realRoot } from './test-support/fixtures.js';
import { makeTempDir, removeTempDirs } from './test-support/temp-dirs.js';

afterAll(removeTempDirs);

async function transcripts(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl')).map((entry) => join(entry.parentPath, entry.name));
}

/** The streamed events regrouped into Sessions, checking the contract: each session's messages, then its head. */
async function streamed(path: string): Promise<{ sessions: Session[]; orphan: SessionWarning[] }> {
  const orphan: SessionWarning[] = [];
  const sessions: Session[] = [];
  let messages: Message[] = [];
  let messageSessionId: string | undefined;
  for await (const event of streamClaudeSession(path)) {
    if (event.kind === 'file-warning') orphan.push(event.warning);
    if (event.kind !== 'message' && event.kind !== 'session') continue;
    if (event.kind === 'message') {
      expect(messageSessionId == null || messageSessionId === event.sessionId).toBe(true);
      messageSessionId = event.sessionId;
      messages.push(event.message);
      continue;
    }
    if (messages.length > 0) expect(messageSessionId).toBe(event.session.id);
    sessions.push({ ...event.session, messages });
    messages = [];
    messageSessionId = undefined;
  }
  expect(messages).toEqual([]);
  return { sessions, orphan };
}

/** Checks a file's stream: the contract, schema-valid Sessions whose totals are over their messages, and the fold `readClaudeSession` gives. */
async function expectValidStream(path: string): Promise<number> {
  const { sessions, orphan } = await streamed(path);
  const folded: SessionWarning[] = [];
  expect(await readClaudeSession(path, { onWarning: (warning) => folded.push(warning) })).toEqual(sessions);
  expect(folded).toEqual(orphan);
  for (const session of sessions) {
    parseSession(session);
    const output = session.messages.reduce((total, message) => total + (message.usage?.output ?? 0), 0);
    expect(session.usage.output).toBe(output);
  }
  return sessions.reduce((total, session) => total + session.messages.length, 0);
}

describe('streamClaudeSession', () => {
  it('should stream every fixture, sample and real transcript as valid Sessions, each message before its head', async () => {
    const paths = [...(await transcripts(handWrittenRoot)), ...(await transcripts(join(realRoot, 'claude'))), ...(await transcripts(join(realRoot, 'claude-2.0.76')))];
    expect(paths.length).toBeGreaterThan(20);
    let messages = 0;
    for (const path of paths) messages += await expectValidStream(path);
    expect(messages).toBeGreaterThan(500);
  });

  it('should keep file order, merged responses and late tool results on a long conversation with bad lines', async () => {
    const sessionId = '6f1d2c3b-4a59-4e8f-9c0d-1e2f3a4b5c6d';
    const lines: string[] = [];
    let parent: string | null = null;
    const envelope = (uuid: string, parentUuid: string | null) => ({ parentUuid, isSidechain: false, uuid, sessionId, timestamp: `2026-05-01T10:00:${String(lines.length % 60).padStart(2, '0')}.000Z`, cwd: '/home/dev/x', version: '2.1.178' });
    for (let turn = 0; turn < 700; turn += 1) {
      const prompt = `u-${turn}`;
      lines.push(JSON.stringify({ ...envelope(prompt, parent), type: 'user', message: { role: 'user', content: `question ${turn}` } }));
      const messageId = `msg_${turn}`;
      const usage = { input_tokens: 1, output_tokens: turn, cache_read_input_tokens: 2, cache_creation_input_tokens: 3 };
      const assistant = (uuid: string, parentUuid: string, block: unknown, stop: string | null) =>
        JSON.stringify({ ...envelope(uuid, parentUuid), type: 'assistant', requestId: `req_${turn}`, message: { id: messageId, model: 'claude-opus-4-7', role: 'assistant', content: [block], stop_reason: stop, usage } });
      lines.push(assistant(`a-${turn}-1`, prompt, { type: 'text', text: `answer ${turn}` }, null));
      lines.push(assistant(`a-${turn}-2`, `a-${turn}-1`, { type: 'tool_use', id: `call-${turn}-a`, name: 'Bash', input: { command: 'ls' } }, null));
      // The second call's result is written before the first's, and the response's last line after both.
      lines.push(JSON.stringify({ ...envelope(`r-${turn}-b`, `a-${turn}-2`), type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `call-${turn}-b`, content: 'b done' }] } }));
      lines.push(JSON.stringify({ ...envelope(`r-${turn}-a`, `r-${turn}-b`), type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `call-${turn}-a`, content: 'a done' }] }, toolUseResult: { stdout: 'a' } }));
      lines.push(assistant(`a-${turn}-3`, `a-${turn}-2`, { type: 'tool_use', id: `call-${turn}-b`, name: 'Read', input: { path: 'x' } }, 'tool_use'));
      if (turn % 50 === 0) lines.push('{"type":"assistant", not json');
      if (turn % 70 === 0) lines.push(JSON.stringify({ type: 'mystery-entry', payload: turn }));
      if (turn % 90 === 0) lines.push(JSON.stringify({ ...envelope(`i-${turn}`, `r-${turn}-a`), type: 'user', message: { role: 'user', content: [{ type: 'text', text: '[Request interrupted by user]' }] } }));
      parent = turn % 90 === 0 ? `i-${turn}` : `r-${turn}-a`;
    }
    lines.push('{"type":"user","uuid":"cut');
    const path = join(await makeTempDir('forge-claude-stream-'), `${sessionId}.jsonl`);
    await writeFile(path, lines.join('\n'));
    expect(await expectValidStream(path)).toBe(700 * 4 + 8);
    const [session] = (await streamed(path)).sessions;
    // Per turn: the question, one merged answer with both calls, then the results in call order.
    const texts = session!.messages.map((message) => `${message.role}:${message.text}`);
    const at = texts.indexOf('assistant:answer 7');
    expect(texts.slice(at - 1, at + 3)).toEqual(['user:question 7', 'assistant:answer 7', 'tool:a done', 'tool:b done']);
    const answer = session!.messages[at]!;
    expect(answer.toolCalls.map((call) => call.id)).toEqual(['call-7-a', 'call-7-b']);
    expect(answer.usage).toEqual({ input: 1, output: 7, cacheRead: 2, cacheWrite: 3 });
    // The interruption after turn 90 marks the answer it cut.
    expect(session!.messages[texts.indexOf('assistant:answer 90')]?.metadata).toMatchObject({ interrupted: true });
    expect(session!.warnings.filter((warning) => warning.kind === 'invalid-json')).toHaveLength(14);
    expect(session!.warnings.find((warning) => warning.kind === 'unknown-entry-type')?.count).toBe(10);
    expect(session!.warnings.filter((warning) => warning.kind === 'truncated-line')).toHaveLength(1);
  });

  it('should select the thread by uuid over thousands of lines, through a compaction and a parent written after its child', async () => {
    const sessionId = randomUUID();
    const lines: string[] = [];
    const uuids: string[] = [];
    let parent: string | null = null;
    const turns = 1500;
    for (let turn = 0; turn < turns; turn += 1) {
      const time = `2026-05-02T10:${String(Math.floor(turn / 60) % 60).padStart(2, '0')}:${String(turn % 60).padStart(2, '0')}.000Z`;
      const envelope = (uuid: string, parentUuid: string | null) => ({ parentUuid, isSidechain: false, uuid, sessionId, timestamp: time, cwd: '/home/dev/y', version: '2.1.114' });
      const [prompt, call, result] = [randomUUID(), randomUUID(), randomUUID()];
      if (turn === turns / 2) {
        // A compaction: the chain continues from the boundary through logicalParentUuid (§7.2).
        const boundary = randomUUID();
        lines.push(JSON.stringify({ ...envelope(boundary, null), type: 'system', subtype: 'compact_boundary', logicalParentUuid: parent, content: 'Conversation compacted' }));
        parent = boundary;
      }
      const user = JSON.stringify({ ...envelope(prompt, parent), type: 'user', message: { role: 'user', content: `question ${turn}` } });
      const assistant = JSON.stringify({
        ...envelope(call, prompt),
        type: 'assistant',
        requestId: `req_${turn}`,
        message: { id: `msg_${turn}`, model: 'claude-opus-4-7', role: 'assistant', content: [{ type: 'tool_use', id: `toolu_${turn}`, name: 'Bash', input: { command: `echo ${turn}` } }], stop_reason: 'tool_use', usage: { input_tokens: 3, output_tokens: 5 } },
      });
      // Once, the assistant line is written before the prompt it answers: its parent comes later in the file.
      if (turn === 100) lines.push(assistant, user);
      else lines.push(user, assistant);
      lines.push(JSON.stringify({ ...envelope(result, call), type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${turn}`, content: `${turn}` }] }, toolUseResult: { stdout: `${turn}` } }));
      uuids.push(prompt, call, result);
      parent = result;
    }
    lines.push(JSON.stringify({ type: 'summary', summary: 'Echo numbers', leafUuid: uuids[2000] }));
    const path = join(await makeTempDir('forge-claude-stream-'), `${sessionId}.jsonl`);
    await writeFile(path, lines.join('\n') + '\n');
    expect(await expectValidStream(path)).toBe(turns * 3);
    const [session] = (await streamed(path)).sessions;
    expect(session?.branch.leafId).toBe(uuids.at(-1));
    expect(session?.title).toBe('Echo numbers');
    expect(session?.messages.filter((message) => message.role === 'tool').map((message) => message.toolResult?.toolName)).toEqual(Array.from({ length: turns }, () => 'Bash'));
  });
});
