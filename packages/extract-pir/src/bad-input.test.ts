import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ForgeError, parseSession, type SessionWarning } from '@forge/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverPiSessions, type PiSessionHandle } from './discover-pi-sessions.js';
import { PiSessionError } from './pi-session-error.js';
import { readPiSession } from './read-pi-session.js';
import { makeTempFolder } from './test-support/temp-folder.js';

const header = (id: string, cwd = '/home/ubuntu/gt/deacon') => ({ type: 'session', version: 3, id, timestamp: '2026-08-10T09:15:02.312Z', cwd });
const user = (id: string, parentId: string | null, text: string) => ({
  type: 'message',
  id,
  parentId,
  timestamp: '2026-08-10T09:15:03.000Z',
  message: { role: 'user', content: text, timestamp: 1786353302466 },
});
const assistant = (id: string, parentId: string | null, text: string) => ({
  type: 'message',
  id,
  parentId,
  timestamp: '2026-08-10T09:15:04.000Z',
  message: {
    role: 'assistant',
    content: [{ type: 'text', text }],
    api: 'anthropic-messages',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, totalTokens: 15, cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 } },
    stopReason: 'stop',
    timestamp: 1786353303000,
  },
});
const jsonl = (records: unknown[]) => `${records.map((record) => JSON.stringify(record)).join('\n')}\n`;

let folder: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  folder = await makeTempFolder('bad-input');
});
afterEach(async () => {
  await folder.remove();
});

async function write(name: string, content: string): Promise<string> {
  const path = join(folder.path, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

describe('readPiSession', () => {
  it('should warn about a truncated last line and keep everything before it', async () => {
    const complete = jsonl([header('s1'), user('u1', null, 'hi'), assistant('a1', 'u1', 'hello')]);
    const path = await write('truncated.jsonl', `${complete}{"type":"message","id":"u2","parentId":"a1","mess`);
    const [session] = await readPiSession(path);
    parseSession(session);
    expect(session!.messages.map((message) => message.text)).toEqual(['hi', 'hello']);
    expect(session!.warnings).toEqual([expect.objectContaining({ kind: 'truncated-line', line: 4, file: path })]);
  });

  it('should warn about an invalid JSON line with file:line and keep the rest', async () => {
    const lines = [JSON.stringify(header('s2')), JSON.stringify(user('u1', null, 'one')), '{not json', JSON.stringify(assistant('a1', 'u1', 'two'))];
    const path = await write('invalid.jsonl', `${lines.join('\n')}\n`);
    const [session] = await readPiSession(path);
    expect(session!.messages.map((message) => message.text)).toEqual(['one', 'two']);
    expect(session!.warnings).toEqual([expect.objectContaining({ kind: 'invalid-json', line: 3, file: path })]);
  });

  it('should keep unknown entry types and roles as warnings counted once per type', async () => {
    const records = [
      header('s3'),
      user('u1', null, 'go'),
      { type: 'future_thing', id: 'f1', parentId: 'u1', timestamp: '2026-08-10T09:15:05.000Z' },
      { type: 'future_thing', id: 'f2', parentId: 'f1', timestamp: '2026-08-10T09:15:05.000Z' },
      { type: 'future_thing', id: 'f3', parentId: 'f2', timestamp: '2026-08-10T09:15:05.000Z' },
      { type: 'message', id: 'r1', parentId: 'f3', timestamp: '2026-08-10T09:15:06.000Z', message: { role: 'oracle', content: 'x' } },
      { type: 'message', id: 'r2', parentId: 'r1', timestamp: '2026-08-10T09:15:06.000Z', message: { role: 'oracle', content: 'y' } },
      assistant('a1', 'r2', 'done'),
    ];
    const [session] = await readPiSession(await write('unknown.jsonl', jsonl(records)));
    parseSession(session);
    // The unknown nodes stay in the tree, so the path still reaches the first user message.
    expect(session!.messages.map((message) => message.text)).toEqual(['go', 'done']);
    expect(session!.warnings).toEqual([
      expect.objectContaining({ kind: 'unknown-entry-type', line: 3, count: 3 }),
      expect.objectContaining({ kind: 'unknown-role', line: 6, count: 2 }),
    ]);
  });

  it('should stop the path at a missing parent with a warning', async () => {
    const records = [header('s4'), user('u1', null, 'lost'), user('u2', 'gone', 'orphan start'), assistant('a1', 'u2', 'answer')];
    const [session] = await readPiSession(await write('missing-parent.jsonl', jsonl(records)));
    expect(session!.messages.map((message) => message.text)).toEqual(['orphan start', 'answer']);
    expect(session!.warnings).toEqual([expect.objectContaining({ kind: 'missing-parent', line: 3 })]);
  });

  it('should stop at a parent cycle with a warning instead of hanging', async () => {
    const records = [header('s5'), user('u1', 'a1', 'ping'), assistant('a1', 'u1', 'pong')];
    const [session] = await readPiSession(await write('cycle.jsonl', jsonl(records)));
    expect(session!.messages.map((message) => message.text)).toEqual(['ping', 'pong']);
    expect(session!.warnings.map((warning) => warning.kind)).toEqual(['cycle']);
  });

  it('should reject a file whose first record is not a session header as not a pi session', async () => {
    const path = await write('claude-like.jsonl', jsonl([{ type: 'user', message: { role: 'user', content: 'hi' } }]));
    const error = await readPiSession(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PiSessionError);
    expect(error).toMatchObject({ code: 'not-a-pi-session', location: { file: path, line: 1 } });
    expect((error as Error).message).toContain(`${path}:1: not a pi session`);
    // Its own marker: any other ForgeError is not a PiSessionError.
    expect(PiSessionError.isInstance(error)).toBe(true);
    expect(PiSessionError.isInstance(new ForgeError({ message: 'x', code: 'not-a-pi-session' }))).toBe(false);
  });

  it('should skip a 0-byte file with an empty-file note', async () => {
    const path = await write('empty.jsonl', '');
    const warnings: SessionWarning[] = [];
    await expect(readPiSession(path, { onWarning: (warning) => warnings.push(warning) })).resolves.toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ kind: 'empty-file', file: path })]);
  });

  it('should return an empty active trajectory when the header says no active path (leafId "")', async () => {
    const path = await write('reset.jsonl', jsonl([{ ...header('s6'), leafId: '' }, user('u1', null, 'before reset')]));
    const [session] = await readPiSession(path);
    parseSession(session);
    expect(session!.messages).toEqual([]);
    expect(session!.branch).toEqual({ leafId: null, isActive: true });
  });

  it('should reject an unknown branches option', async () => {
    const path = await write('ok.jsonl', jsonl([header('s7'), user('u1', null, 'x')]));
    await expect(readPiSession(path, { branches: 'some' as 'all' })).rejects.toMatchObject({ code: 'invalid-option' });
  });

  it('should mark the Gas Town beacon in the first user message and parse it', async () => {
    const beacon = '[GAS TOWN] myrig/polecats/nux <- mayor • 2026-08-10T09:15 • assigned:gt-4821\n\nWork on your hooked bead.';
    const path = await write('beacon.jsonl', jsonl([header('s8', '/home/ubuntu/gt/myrig/polecats/nux/myrig'), user('u1', null, beacon), assistant('a1', 'u1', 'on it')]));
    const [session] = await readPiSession(path);
    expect(session!.messages[0]!.provenance).toBe('gastown-beacon');
    expect(session!.gastown).toMatchObject({ role: 'polecat', rig: 'myrig', name: 'nux', beadIds: ['gt-4821'], beacon: { sender: 'mayor', topic: 'assigned', beadId: 'gt-4821' } });
  });

  it('should map omp roles (developer, fileMention, pythonExecution) and merge a response split over entries into one message', async () => {
    const base = { api: 'anthropic-messages', provider: 'anthropic', model: 'claude-sonnet-4-5', stopReason: 'toolUse', timestamp: 1 };
    const usage = { input: 7, output: 3, cacheRead: 100, cacheWrite: 20, totalTokens: 130 };
    const records = [
      { type: 'title', v: 1, title: 'omp title', updatedAt: '2026-11-24T04:08:52.412Z', pad: '   ' },
      header('o1', '/home/ubuntu/gt/mayor'),
      { type: 'message', id: 'd1', parentId: null, timestamp: '2026-11-24T04:08:52.500Z', message: { role: 'developer', content: [{ type: 'text', text: 'plan mode' }], timestamp: 1 } },
      { type: 'message', id: 'f1', parentId: 'd1', timestamp: '2026-11-24T04:08:52.600Z', message: { role: 'fileMention', files: [{ path: 'a.txt', content: 'A' }], timestamp: 1 } },
      { type: 'message', id: 'p1', parentId: 'f1', timestamp: '2026-11-24T04:08:52.700Z', message: { role: 'pythonExecution', code: 'print(1)', output: '1', exitCode: 0, cancelled: false, truncated: false, timestamp: 1 } },
      { type: 'message', id: 'x1', parentId: 'p1', timestamp: '2026-11-24T04:08:52.800Z', message: { ...base, role: 'assistant', content: [{ type: 'text', text: 'part one' }], usage, responseId: 'msg_1' } },
      { type: 'message', id: 'x2', parentId: 'x1', timestamp: '2026-11-24T04:08:52.900Z', message: { ...base, role: 'assistant', content: [{ type: 'text', text: 'part two' }], usage, responseId: 'msg_1' } },
    ];
    const [session] = await readPiSession(await write('omp-roles.jsonl', jsonl(records)));
    parseSession(session);
    expect(session!.source).toBe('omp');
    expect(session!.title).toBe('omp title');
    expect(session!.messages.map((message) => [message.role, message.provenance])).toEqual([
      ['system', 'harness'],
      ['user', 'file-mention'],
      ['user', 'user-shell'],
      ['assistant', 'conversation'],
    ]);
    expect(session!.messages[3]).toMatchObject({ text: 'part one\npart two', sourceIds: ['x1', 'x2', 'msg_1'], usage: { input: 7, output: 3, cacheRead: 100, cacheWrite: 20 } });
    expect(session!.usage).toEqual({ input: 7, output: 3, cacheRead: 100, cacheWrite: 20 });
  });

  it('should honour an omp /clear boundary: only what follows it is context', async () => {
    const records = [
      header('o2'),
      user('u1', null, 'old'),
      { type: 'reset_boundary', id: 'r1', parentId: 'u1', timestamp: '2026-08-10T09:15:05.000Z' },
      user('u2', 'r1', 'new'),
    ];
    const [session] = await readPiSession(await write('.omp/clear.jsonl', jsonl(records)));
    expect(session!.messages.map((message) => message.text)).toEqual(['new']);
  });
});

describe('discoverPiSessions', () => {
  async function discover(options: Parameters<typeof discoverPiSessions>[0] = {}): Promise<{ handles: PiSessionHandle[]; warnings: SessionWarning[] }> {
    const warnings: SessionWarning[] = [];
    const handles: PiSessionHandle[] = [];
    for await (const handle of discoverPiSessions({ roots: [folder.path], onWarning: (warning) => warnings.push(warning), ...options })) handles.push(handle);
    return { handles, warnings };
  }

  it('should skip sidecars, locks, temp files, omp notes, 0-byte files and non-sessions, with notes for the last two', async () => {
    const session = jsonl([header('k1'), user('u1', null, 'x')]);
    await write('--cwd--/real.jsonl', session);
    await write('--cwd--/real.v2/index/offsets.jsonl', session);
    await write('--cwd--/real.v2/migrations/ledger.jsonl', session);
    await write('--cwd--/real.jsonl.lock', '');
    await write('--cwd--/.tmpA1b2C3', session);
    await write('session-index.lock/owner.jsonl', session);
    await write('--cwd--/notes.md', '# note');
    await write('--cwd--/empty.jsonl', '');
    await write('--cwd--/other.jsonl', jsonl([{ type: 'summary', summary: 'claude' }]));
    const { handles, warnings } = await discover();
    expect(handles.map((handle) => handle.path)).toEqual([join(folder.path, '--cwd--/real.jsonl')]);
    expect(warnings.map((warning) => [warning.kind, warning.file])).toEqual([
      ['empty-file', join(folder.path, '--cwd--/empty.jsonl')],
      ['not-a-session', join(folder.path, '--cwd--/other.jsonl')],
    ]);
  });

  it('should link an omp subagent file to its parent session', async () => {
    await write('.omp/agent/sessions/-work/2026_parent.jsonl', jsonl([header('parent-1'), user('u1', null, 'delegate')]));
    const child = await write('.omp/agent/sessions/-work/2026_parent/task-1.jsonl', jsonl([header('child-1'), user('u1', null, 'subtask')]));
    const { handles } = await discover({ roots: [join(folder.path, '.omp/agent/sessions')] });
    const childHandle = handles.find((handle) => handle.path === child);
    expect(childHandle).toMatchObject({ source: 'omp', parentPath: join(folder.path, '.omp/agent/sessions/-work/2026_parent.jsonl') });
    const [session] = await readPiSession(child, { source: 'omp' });
    expect(session).toMatchObject({ isSubagent: true, parent: { sessionId: 'parent-1' }, agent: { id: 'task-1' } });
  });

  it('should keep the system prompt an omp subagent recorded in its session_init entry', async () => {
    // The entry as omp 18 writes it (SessionManager.appendSessionInit: the prompt parts joined by a blank line).
    const systemPrompt = 'You are a scout.\n\nRead the code and report what you find.';
    const init = { type: 'session_init', id: 'i1', parentId: null, timestamp: '2026-08-10T09:15:02.400Z', systemPrompt, task: 'subtask', tools: ['read', 'grep'], agent: 'scout', readOnly: true };
    const child = await write('.omp/agent/sessions/-work/2026_parent/task-2.jsonl', jsonl([header('child-2'), init, user('u1', 'i1', 'subtask'), assistant('a1', 'u1', 'done')]));
    const [session] = await readPiSession(child, { source: 'omp' });
    expect(parseSession(session).systemPrompt).toBe(systemPrompt);
    expect(session!.messages.map((message) => message.text)).toEqual(['subtask', 'done']);
    const [plain] = await readPiSession(await write('plain.jsonl', jsonl([header('plain-1'), user('u1', null, 'hi')])));
    expect(plain!.systemPrompt).toBeUndefined();
  });

  it('should read a header longer than the 64 KiB head window', async () => {
    const previousSessionFiles = Array.from({ length: 2000 }, (_, index) => `/home/ubuntu/.omp/agent/sessions/-old/${index}-${'x'.repeat(40)}.jsonl`);
    const path = await write('.omp/agent/sessions/-work/long-header.jsonl', jsonl([{ type: 'title', v: 1, title: '', updatedAt: '2026-11-24T04:08:52.412Z', pad: ' ' }, { ...header('long-1'), previousSessionFiles }, user('u1', null, 'x')]));
    const { handles, warnings } = await discover({ roots: [join(folder.path, '.omp/agent/sessions')] });
    expect(warnings).toEqual([]);
    expect(handles.map((handle) => [handle.path, handle.id, handle.source])).toEqual([[path, 'long-1', 'omp']]);
  });

  it('should find nothing and warn nothing when a root does not exist', async () => {
    const { handles, warnings } = await discover({ roots: [join(folder.path, 'missing')] });
    expect(handles).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('should warn once about a corrupt index and still scan every file', async () => {
    await write('session-index.sqlite', 'this is not a database, just bytes '.repeat(200));
    await write('--a--/one.jsonl', jsonl([header('c1'), user('u1', null, 'x')]));
    await write('--b--/two.jsonl', jsonl([header('c2'), user('u1', null, 'y')]));
    const { handles, warnings } = await discover();
    expect(handles.map((handle) => [handle.id, handle.foundBy])).toEqual([
      ['c1', 'scan'],
      ['c2', 'scan'],
    ]);
    expect(warnings).toEqual([expect.objectContaining({ kind: 'index-unavailable', file: join(folder.path, 'session-index.sqlite') })]);
  });
});
