import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotTree } from '@forge-internal/test-agents';
import { foldSessions, type SourceFile } from '@forge/reader-kit';
import { parseSession } from '@forge/schema';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { discoverOpencodeDatabases } from './discover-opencode-databases.js';
import { opencodeReader } from './opencode-reader.js';

// Databases written by hand (here, at test time) with the columns OpenCode 1.18.33 reads and writes
// (opencode.md §2): shapes a headless run does not produce — compaction, a revert, an API error,
// a call that never finished, broken rows.
const schema = `
  CREATE TABLE session (id text PRIMARY KEY, project_id text NOT NULL, parent_id text, slug text NOT NULL, directory text NOT NULL,
    title text NOT NULL, version text NOT NULL, agent text, revert text, time_created integer NOT NULL, time_updated integer NOT NULL);
  CREATE TABLE message (id text PRIMARY KEY, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL);
  CREATE TABLE part (id text PRIMARY KEY, message_id text NOT NULL, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL);
`;

type Row = [id: string, time: number, data: unknown, parts: Array<[string, unknown]>];

function writeDatabase(path: string, sessions: Array<{ id: string; revert?: unknown; rows: Row[] }>): void {
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.exec(schema);
  const session = database.prepare('INSERT INTO session VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)');
  const message = database.prepare('INSERT INTO message VALUES (?, ?, ?, ?, ?)');
  const part = database.prepare('INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)');
  for (const { id, revert, rows } of sessions) {
    session.run(id, 'global', id.slice(-4), '/home/ana/app', `title of ${id}`, '1.18.33', 'build', revert == null ? null : JSON.stringify(revert), rows[0]![1], rows.at(-1)![1]);
    for (const [messageId, time, data, parts] of rows) {
      message.run(messageId, id, time, time, typeof data === 'string' ? data : JSON.stringify(data));
      for (const [partId, partData] of parts) part.run(partId, messageId, id, time, time, typeof partData === 'string' ? partData : JSON.stringify(partData));
    }
  }
  database.close();
}

const tokens = (input: number, output: number, reasoning: number, read: number, write: number): unknown => ({ total: 0, input, output, reasoning, cache: { read, write } });

async function databaseFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'forge-opencode-hand-'));
  writeDatabase(join(folder, 'opencode.db'), [
    {
      id: 'ses_a',
      rows: [
        ['msg_a1', 1000, { role: 'user', time: { created: 1000 } }, [
          ['prt_a1a', { type: 'text', text: 'Fix the build.' }],
          ['prt_a1b', { type: 'file', mime: 'image/png', filename: 'error.png', url: 'data:…' }],
        ]],
        ['msg_a2', 2000, { role: 'assistant', time: { created: 2000 }, modelID: 'gpt-5', providerID: 'openai', finish: 'tool-calls', cost: 0.0042, tokens: tokens(100, 20, 30, 50, 0) }, [
          ['prt_a2a', { type: 'step-start' }],
          ['prt_a2b', { type: 'reasoning', text: '', metadata: { openai: { itemId: 'rs_1', reasoningEncryptedContent: 'gAAA' } } }],
          ['prt_a2c', { type: 'tool', tool: 'bash', callID: 'call_1', state: { status: 'running', input: { command: 'make' }, time: { start: 2001 } } }],
          ['prt_a2d', { type: 'brand-new-part' }],
        ]],
        ['msg_a3', 3000, 'not json', []],
        ['msg_a4', 4000, { role: 'user', time: { created: 4000 } }, [['prt_a4a', { type: 'compaction', auto: true }]]],
        ['msg_a5', 5000, { role: 'assistant', summary: true, time: { created: 5000 }, modelID: 'gpt-5', tokens: tokens(900, 60, 0, 0, 0) }, [
          ['prt_a5a', { type: 'text', text: 'Summary: the build fails in make.' }],
          ['prt_a5b', '{broken'],
        ]],
        ['msg_a6', 6000, { role: 'assistant', time: { created: 6000 }, modelID: 'gpt-5', error: { name: 'APIError', data: { message: 'rate limited' } } }, []],
      ],
    },
    {
      id: 'ses_b',
      revert: { messageID: 'msg_b3' },
      rows: [
        ['msg_b1', 10_000, { role: 'user', time: { created: 10_000 } }, [['prt_b1', { type: 'text', text: 'Say hi.' }]]],
        ['msg_b2', 11_000, { role: 'assistant', time: { created: 11_000 }, modelID: 'claude-sonnet-4-5', finish: 'stop', cost: 0, tokens: tokens(10, 2, 0, 0, 5) }, [['prt_b2', { type: 'text', text: 'Hi.' }]]],
        ['msg_b3', 12_000, { role: 'user', time: { created: 12_000 } }, [['prt_b3', { type: 'text', text: 'Undone prompt.' }]]],
        ['msg_b4', 13_000, { role: 'assistant', time: { created: 13_000 }, modelID: 'claude-sonnet-4-5', tokens: tokens(10, 2, 0, 0, 0) }, [['prt_b4', { type: 'text', text: 'Undone answer.' }]]],
      ],
    },
  ]);
  return folder;
}

const fileOf = (path: string): SourceFile => ({ path, source: 'opencode', size: 0, mtimeMs: 0 });

describe('opencodeReader on hand-written databases', () => {
  it('should map compaction, hollow reasoning, errors and unfinished calls, and turn broken rows into warnings', async () => {
    const folder = await databaseFolder();
    const path = join(folder, 'opencode.db');
    const before = await snapshotTree(folder);
    const { sessions, fileWarnings } = await foldSessions(opencodeReader.readFile(fileOf(path)));
    expect(await snapshotTree(folder)).toEqual(before);
    expect(fileWarnings).toEqual([]);
    expect(sessions.map((session) => session.id)).toEqual(['ses_a', 'ses_b']);
    const session = parseSession(sessions[0]);
    expect(session.messages.map((message) => [message.role, message.provenance, message.text])).toEqual([
      ['user', 'conversation', 'Fix the build.\n[image: error.png]'],
      ['assistant', 'conversation', ''],
      ['user', 'harness', ''],
      ['user', 'compaction-summary', 'Summary: the build fails in make.'],
      ['assistant', 'conversation', ''],
    ]);
    expect(session.messages[0]!.attachments).toEqual([{ kind: 'image', mimeType: 'image/png', name: 'error.png' }]);
    expect(session.messages[1]).toMatchObject({
      reasoning: { state: 'hollow' },
      toolCalls: [{ id: 'call_1', name: 'bash', arguments: '{"command":"make"}' }],
      usage: { input: 100, output: 50, cacheRead: 50, cacheWrite: 0, cost: 0.0042 },
      provider: 'openai',
      stopReason: 'tool-calls',
    });
    expect(session.messages[4]!.errorMessage).toBe('rate limited');
    expect(session.usage).toEqual({ input: 100, output: 50, cacheRead: 50, cacheWrite: 0, cost: 0.0042 });
    expect(session.warnings.map((warning) => [warning.kind, warning.message.split(':')[0]])).toEqual([
      ['unknown-block-type', 'unknown part type "brand-new-part" in message msg_a2 (kept out of the text)'],
      ['missing-tool-result', 'tool call call_1 (bash) in message msg_a2 never finished (status running)'],
      ['invalid-json', 'message msg_a3'],
      ['invalid-json', 'part prt_a5b of message msg_a5'],
    ]);
    expect(session.warnings.every((warning) => warning.file === path)).toBe(true);
  });

  it('should leave out the messages a revert undid', async () => {
    const folder = await databaseFolder();
    const { sessions } = await foldSessions(opencodeReader.readFile(fileOf(join(folder, 'opencode.db'))));
    const session = parseSession(sessions[1]);
    expect(session.messages.map((message) => message.text)).toEqual(['Say hi.', 'Hi.']);
    expect(session).toMatchObject({ title: 'title of ses_b', usage: { input: 10, output: 2, cacheRead: 0, cacheWrite: 5 }, warnings: [{ kind: 'other' }] });
    // OpenCode writes cost 0 for a model it has no price for: no cost, not a cost of 0.
    expect(session.usage).not.toHaveProperty('cost');
  });

  it('should find databases under XDG_DATA_HOME and OPENCODE_DB, and report foreign or missing files', async () => {
    const folder = await databaseFolder();
    const dataHome = await mkdtemp(join(tmpdir(), 'forge-opencode-xdg-'));
    await mkdir(join(dataHome, 'opencode'));
    await copyFile(join(folder, 'opencode.db'), join(dataHome, 'opencode', 'opencode-dev.db'));
    await writeFile(join(dataHome, 'opencode', 'notes.db'), '');
    const found: string[] = [];
    for await (const file of discoverOpencodeDatabases({ env: { XDG_DATA_HOME: dataHome, OPENCODE_DB: join(folder, 'opencode.db') } })) found.push(file.path);
    expect(found).toEqual([join(dataHome, 'opencode', 'opencode-dev.db'), join(folder, 'opencode.db')].sort());
    const head = Buffer.from('SQLite format 3\0');
    expect([opencodeReader.detect(head, '/x/opencode.db'), opencodeReader.detect(head, '/x/notes.db'), opencodeReader.detect(Buffer.from('{}'), '/x/opencode.db')]).toEqual(['opencode', undefined, undefined]);

    const foreign = join(folder, 'foreign.db');
    new Database(foreign).exec('CREATE TABLE t (x)');
    expect(await foldSessions(opencodeReader.readFile(fileOf(foreign)))).toMatchObject({ sessions: [], fileWarnings: [{ kind: 'not-a-session' }] });
    expect(await foldSessions(opencodeReader.readFile(fileOf(join(folder, 'missing.db'))))).toMatchObject({ sessions: [], fileWarnings: [{ kind: 'unreadable-file' }] });
  });
});
