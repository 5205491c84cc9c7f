import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotTree } from '@forge-internal/test-agents';
import { foldSessions, type SourceFile } from '@forge/reader-kit';
import { parseSession } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { discoverGeminiSessions } from './discover-gemini-sessions.js';
import { geminiReader, isGeminiHead } from './gemini-reader.js';

// Hand-written from Gemini CLI's source (fixtures/hand-written/README.md).
const home = join(import.meta.dirname, '..', 'fixtures', 'hand-written');
const geminiDirectory = join(home, '.gemini');

async function discovered(): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for await (const file of discoverGeminiSessions({ env: { GEMINI_CLI_HOME: home } })) files.push(file);
  return files;
}

async function readNamed(suffix: string): ReturnType<typeof foldSessions> {
  const file = (await discovered()).find((candidate) => candidate.path.endsWith(suffix));
  if (file == null) throw new Error(`no discovered file ends with ${suffix}`);
  return foldSessions(geminiReader.readFile(file));
}

describe('geminiReader on hand-written Gemini CLI files', () => {
  it('should find chats, subagent chats and saved chats under $GEMINI_CLI_HOME/.gemini/tmp, with each project folder', async () => {
    const files = await discovered();
    expect(files.map((file) => [file.path.slice(geminiDirectory.length + 1).replace(/^tmp\/[0-9a-f]{64}/u, 'tmp/<hash>'), file.hints])).toEqual([
      ['tmp/<hash>/chats/session-2025-08-01T10-00-legacy-0.json', { kind: 'chat', cwd: '/home/ana/legacy-proj' }],
      ['tmp/notes-app/chats/session-2026-10-01T08-00-sub-pare.jsonl', { kind: 'chat', cwd: '/home/ana/notes-app' }],
      ['tmp/notes-app/chats/session-2026-10-02T09-00-empty000.jsonl', { kind: 'chat', cwd: '/home/ana/notes-app' }],
      ['tmp/notes-app/chats/sub-parent-0001/sub-child-0002.jsonl', { kind: 'subagent', cwd: '/home/ana/notes-app', parentSessionId: 'sub-parent-0001' }],
      ['tmp/notes-app/checkpoint-before%20rename.json', { kind: 'checkpoint', cwd: '/home/ana/notes-app' }],
    ]);
    const heads = await Promise.all(files.map(async (file) => isGeminiHead((await readFile(file.path)).subarray(0, 65_536))));
    expect(heads).toEqual([true, true, false, true, true]);
    expect(await discovered()).toEqual(await (async () => {
      const viaRoot: SourceFile[] = [];
      for await (const file of geminiReader.discover({ roots: [geminiDirectory] })) viaRoot.push(file);
      return viaRoot;
    })());
  });

  it('should replay a JSONL chat like Gemini CLI: rewinds drop turns, later copies of a message replace it, bad lines are warnings', async () => {
    const path = join(geminiDirectory, 'tmp', 'notes-app', 'chats', 'session-2026-10-01T08-00-sub-pare.jsonl');
    const { sessions, fileWarnings } = await readNamed('session-2026-10-01T08-00-sub-pare.jsonl');
    expect(fileWarnings).toEqual([]);
    const session = parseSession(sessions[0]);
    expect(session).toMatchObject({
      id: 'sub-parent-0001',
      cwd: '/home/ana/notes-app',
      title: 'Rename the app to Quill',
      models: ['gemini-2.5-pro'],
      // (2000 − 1500 cached) + 5 tool-use prompt; 20 + 30 thought tokens.
      usage: { input: 505, output: 50, cacheRead: 1500, cacheWrite: 0 },
    });
    expect(session.messages.map((message) => [message.role, message.provenance, message.text])).toEqual([
      ['user', 'harness', '<session_context>\nThis is the Gemini CLI.\n</session_context>'],
      ['user', 'conversation', 'Rename the app to Quill.\n[image: image/png]'],
      ['system', 'harness', 'Switched to fallback model gemini-2.5-flash'],
      ['assistant', 'conversation', ''],
      ['tool', 'conversation', 'The name is in package.json.'],
    ]);
    const answer = session.messages[3]!;
    expect(answer.reasoning).toEqual({ state: 'present', text: '**Planning the rename**\n\nI will delegate the search.' });
    expect(answer.toolCalls).toEqual([{ id: 'codebase_investigator__c1', name: 'codebase_investigator', arguments: '{"objective":"find the app name"}' }]);
    expect(session.messages[4]!.toolResult).toMatchObject({ toolCallId: 'codebase_investigator__c1', isError: false });
    expect(session.warnings.map((warning) => [warning.kind, warning.line, warning.file === path])).toEqual([
      ['invalid-json', 6, true],
      ['unknown-entry-type', 9, true],
      ['truncated-line', 12, true],
    ]);
  });

  it('should read a subagent chat as a child of the session it is filed under', async () => {
    const { sessions } = await readNamed('sub-child-0002.jsonl');
    expect(parseSession(sessions[0])).toMatchObject({ id: 'sub-child-0002', isSubagent: true, parent: { sessionId: 'sub-parent-0001' }, cwd: '/home/ana/notes-app' });
  });

  it('should read a saved chat (/chat save) as its own session without usage', async () => {
    const { sessions } = await readNamed('checkpoint-before%20rename.json');
    const session = parseSession(sessions[0]);
    expect(session).toMatchObject({ id: 'notes-app/checkpoint-before%20rename', title: 'before rename', usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 } });
    expect(session.messages.map((message) => [message.role, message.text])).toEqual([
      ['user', 'Rename the app.'],
      ['assistant', 'Let me read it.'],
      ['tool', 'File not found: package.jsn'],
      ['assistant', 'The file is missing.'],
    ]);
    expect(session.messages[1]!.reasoning).toEqual({ state: 'present', text: '**Looking**\n\nChecking the manifest.' });
    expect(session.messages[2]!.toolResult).toEqual({ toolCallId: 'read_file__k1', toolName: 'read_file', isError: true, text: 'File not found: package.jsn' });
  });

  it('should read a pre-JSONL chat: string content, hollow reasoning when thought tokens left no summary', async () => {
    const { sessions } = await readNamed('session-2025-08-01T10-00-legacy-0.json');
    const session = parseSession(sessions[0]);
    expect(session).toMatchObject({ id: 'legacy-0003', cwd: '/home/ana/legacy-proj', startedAt: '2025-08-01T10:00:00.000Z', usage: { input: 400, output: 48, cacheRead: 100 } });
    expect(session.messages.map((message) => [message.role, message.text, message.reasoning.state])).toEqual([
      ['user', 'List the files.', 'absent'],
      ['assistant', 'Two files.', 'hollow'],
      ['tool', 'Command: ls\nDirectory: (root)\nStdout: a.txt b.txt\nStderr: (empty)\nError: (none)\nExit Code: 0\nSignal: (none)', 'absent'],
    ]);
    expect(session.messages[2]!.toolResult?.isError).toBe(false);
  });

  it('should report an empty file and a missing file, and write nothing', async () => {
    const before = await snapshotTree(geminiDirectory);
    expect(await readNamed('session-2026-10-02T09-00-empty000.jsonl')).toMatchObject({ sessions: [], fileWarnings: [{ kind: 'empty-file' }] });
    const missing = { path: join(geminiDirectory, 'nope.jsonl'), source: 'gemini' as const, size: 0, mtimeMs: 0 };
    expect(await foldSessions(geminiReader.readFile(missing))).toMatchObject({ sessions: [], fileWarnings: [{ kind: 'unreadable-file' }] });
    for (const file of await discovered()) await foldSessions(geminiReader.readFile(file));
    expect(await snapshotTree(geminiDirectory)).toEqual(before);
  });
});
