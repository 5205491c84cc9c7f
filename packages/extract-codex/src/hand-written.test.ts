import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotTree } from '@forge-internal/test-agents';
import { foldSessions } from '@forge/reader-kit';
import { parseSession } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { codexReader, isCodexRolloutHead } from './codex-reader.js';
import { discoverCodexRollouts } from './discover-codex-rollouts.js';

// Hand-written from Codex's source (fixtures/hand-written/README.md): older shapes 0.169.0 no longer writes.
const root = join(import.meta.dirname, '..', 'fixtures', 'hand-written');
const fixture = (id: string): string => join(root, `rollout-${id}.jsonl`);

async function read(path: string): ReturnType<typeof foldSessions> {
  return foldSessions(codexReader.readFile({ path, source: 'codex', size: 0, mtimeMs: 0 }));
}

describe('codexReader on older rollout shapes (hand-written from the source)', () => {
  it('should read a 0.3x–0.5x rollout: token_count usage once per response, legacy tool failures, hollow reasoning, compaction', async () => {
    const { sessions, fileWarnings } = await read(fixture('2025-09-20T10-00-00-0199a1b2-0000-7000-8000-000000000001'));
    expect(fileWarnings).toEqual([]);
    expect(sessions).toHaveLength(1);
    const session = parseSession(sessions[0]);
    expect(session).toMatchObject({
      id: '0199a1b2-0000-7000-8000-000000000001',
      sourceVersion: '0.39.0',
      cwd: '/home/ana/proj',
      gitBranch: 'feature/x',
      models: ['gpt-5-codex'],
      thinkingLevels: ['medium'],
      warnings: [],
      // 5000-4000 + 5300-4800 + 400 uncached; the repeated total is not counted again.
      usage: { input: 1900, output: 135, cacheRead: 8800, cacheWrite: 0 },
    });
    expect(session.messages.map((message) => [message.role, message.provenance, message.text])).toEqual([
      ['user', 'harness', '<environment_context>\n  <cwd>/home/ana/proj</cwd>\n</environment_context>'],
      ['user', 'conversation', 'Fix the notes file.\n[image]'],
      ['assistant', 'conversation', ''],
      ['tool', 'conversation', '{"output":"cat: notes.txt: No such file or directory\\n","metadata":{"exit_code":1,"duration_seconds":0.0}}'],
      ['assistant', 'conversation', 'It is missing; creating it.'],
      ['tool', 'conversation', '{"output":"Success. Updated the following files:\\nA notes.txt\\n","metadata":{"exit_code":0,"duration_seconds":0.0}}'],
      ['user', 'compaction-summary', 'Summary: the notes file was created.'],
      ['assistant', 'conversation', 'Done.'],
    ]);
    const [, prompt, shell, shellResult, patch, patchResult] = session.messages;
    expect(prompt!.attachments).toEqual([{ kind: 'image' }]);
    expect(shell).toMatchObject({ reasoning: { state: 'hollow' }, thinkingLevel: 'medium', usage: { input: 1000, output: 50, cacheRead: 4000, cacheWrite: 0 } });
    expect(shell!.toolCalls).toEqual([{ id: 'call_shell_1', name: 'shell', arguments: '{"command":["bash","-lc","cat notes.txt"],"workdir":"/home/ana/proj"}' }]);
    expect(shellResult!.toolResult).toMatchObject({ toolCallId: 'call_shell_1', toolName: 'shell', isError: true });
    expect(patch).toMatchObject({ reasoning: { state: 'present', text: '**Creating the file**' }, usage: { input: 500, output: 80, cacheRead: 4800 } });
    expect(JSON.parse(patch!.toolCalls[0]!.arguments)).toEqual({ input: '*** Begin Patch\n*** Add File: notes.txt\n+notes\n*** End Patch\n' });
    expect(patchResult!.toolResult).toMatchObject({ toolName: 'apply_patch', isError: false });
  });

  it('should read the first rollouts, before the typed envelope', async () => {
    const { sessions } = await read(fixture('2025-05-07T17-24-21-5973b6c0-94b8-487b-a530-2aeb6098ae0e'));
    const session = parseSession(sessions[0]);
    expect(session).toMatchObject({ id: '5973b6c0-94b8-487b-a530-2aeb6098ae0e', gitBranch: 'main', startedAt: '2025-05-07T17:24:21.123Z', warnings: [] });
    expect(session.messages.map((message) => [message.role, message.text, message.toolCalls.map((call) => call.name)])).toEqual([
      ['user', 'List the files.', []],
      ['assistant', '', ['local_shell']],
      ['tool', '{"output":"a.txt\\n","metadata":{"exit_code":0,"duration_seconds":0.01}}', []],
      ['assistant', 'There is a.txt.', []],
    ]);
    expect(session.messages[2]!.toolResult).toMatchObject({ toolCallId: 'call_local_1', toolName: 'local_shell', isError: false });
  });

  it('should read a spawned subagent thread with its parent, role and nickname, counting its usage once', async () => {
    const { sessions } = await read(fixture('2026-11-02T09-00-00-01a2f000-0000-7000-8000-0000000000c1'));
    expect(parseSession(sessions[0])).toMatchObject({
      isSubagent: true,
      parent: { sessionId: '01a2f000-0000-7000-8000-0000000000a0' },
      agent: { type: 'worker', description: 'Ramanujan' },
      models: ['gpt-6-luna'],
      thinkingLevels: ['low'],
      usage: { input: 500, output: 12, cacheRead: 2500, cacheWrite: 0 },
      warnings: [],
    });
    expect(sessions[0]!.messages.map((message) => [message.role, message.text, message.sourceIds])).toEqual([
      ['user', 'Count the TODOs.', ['msg_u1']],
      ['assistant', 'There are 4 TODOs.', ['msg_a1', 'resp_c1']],
    ]);
  });

  it('should turn bad lines into warnings with file:line and keep the rest', async () => {
    const path = fixture('2025-09-20T10-00-00-0199a1b2-0000-7000-8000-0000000000bd');
    const { sessions } = await read(path);
    const session = parseSession(sessions[0]);
    expect(session.messages.map((message) => [message.role, message.text])).toEqual([
      ['user', 'hello'],
      ['tool', 'x'],
      ['assistant', 'hi'],
    ]);
    expect(session.warnings.map((warning) => [warning.kind, warning.line])).toEqual([
      ['invalid-json', 2],
      ['unknown-entry-type', 4],
      ['orphan-tool-result', 5],
      ['truncated-line', 8],
      ['missing-tool-result', undefined],
    ]);
    expect(session.warnings.every((warning) => warning.file === path)).toBe(true);
  });

  it('should report an empty file and a file that is not a rollout, with no session', async () => {
    expect(await read(fixture('2025-09-21T10-00-00-0199a1b2-0000-7000-8000-0000000000ee'))).toMatchObject({ sessions: [], fileWarnings: [{ kind: 'empty-file' }] });
    expect(await read(fixture('2025-09-21T11-00-00-0199a1b2-0000-7000-8000-0000000000ff'))).toMatchObject({ sessions: [], fileWarnings: [{ kind: 'not-a-session' }] });
    expect(await read(join(root, 'no-such-rollout.jsonl'))).toMatchObject({ sessions: [], fileWarnings: [{ kind: 'unreadable-file' }] });
  });

  it('should find rollouts under $CODEX_HOME and tell them apart by their first bytes, writing nothing', async () => {
    const before = await snapshotTree(root);
    const found = [];
    for await (const file of discoverCodexRollouts({ env: { CODEX_HOME: join(root, '..') }, roots: [root] })) found.push(file.path);
    expect(found).toHaveLength(6);
    expect(found).toEqual([...found].sort());
    const heads = await Promise.all(found.map(async (path) => isCodexRolloutHead((await readFile(path)).subarray(0, 65_536))));
    expect(heads).toEqual([true, true, true, false, false, true]);
    for (const path of found) await read(path);
    expect(await snapshotTree(root)).toEqual(before);
  });
});

describe('codexReader on zstd-compressed rollouts (.jsonl.zst)', () => {
  // The real zstd program at Codex's settings (level 3, no checksum; codex.md §1.3).
  const zstd = (content: Buffer): Buffer => execFileSync('zstd', ['-q', '-3', '--no-check', '-c'], { input: content });
  const folder = mkdtempSync(join(tmpdir(), 'forge-codex-zst-'));
  const id = '2025-09-20T10-00-00-0199a1b2-0000-7000-8000-000000000001';
  const plain = readFileSync(fixture(id));
  const lines = plain.toString().split(/(?<=\n)/u);
  // Two frames (a reader must go on past the first), the second cut off: the first nine lines are whole.
  const head = zstd(Buffer.from(lines.slice(0, 9).join('')));
  const tail = zstd(Buffer.from(lines.slice(9).join('')));
  const write = (name: string, bytes: Buffer) => {
    const path = join(folder, name, `rollout-${id}.jsonl.zst`);
    mkdirSync(join(folder, name), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  };

  it('should read a rollout of several frames as the plain file', async () => {
    const path = write('frames', Buffer.concat([head, tail]));
    const [fromPlain, fromZst] = await Promise.all([read(fixture(id)), read(path)]);
    expect(fromZst.fileWarnings).toEqual([]);
    expect({ ...fromZst.sessions[0], files: [] }).toEqual({ ...fromPlain.sessions[0], files: [] });
  });

  it('should keep the lines before a cut-off frame, with a warning naming the file and the first line lost', async () => {
    const path = write('cut', Buffer.concat([head, tail.subarray(0, tail.length - 40)]));
    const { sessions, fileWarnings } = await read(path);
    expect(fileWarnings).toEqual([]);
    const session = parseSession(sessions[0]);
    expect(session.id).toBe('0199a1b2-0000-7000-8000-000000000001');
    expect(session.messages.map((message) => message.text)).toEqual(['<environment_context>\n  <cwd>/home/ana/proj</cwd>\n</environment_context>', 'Fix the notes file.\n[image]', '']);
    expect(session.warnings.map(({ file, kind, line }) => ({ file, kind, line }))).toContainEqual({ file: path, kind: 'unreadable-file', line: 10 });
  });

  it('should report an empty compressed rollout as empty', async () => {
    expect(await read(write('empty', zstd(Buffer.alloc(0))))).toMatchObject({ sessions: [], fileWarnings: [{ kind: 'empty-file' }] });
  });
});
