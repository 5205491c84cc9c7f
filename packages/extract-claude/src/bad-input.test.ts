import { randomUUID } from 'node:crypto';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSession, type SessionWarning } from '@forge/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from './test-support/temp-dirs.js';
import { ClaudeExtractError } from './claude-extract-error.js';
import { discoverClaudeSessions } from './discover-claude-sessions.js';
import { extractClaudeSessions } from './extract-claude-sessions.js';
import { readClaudeSession } from './read-claude-session.js';
import { handWrittenRoot } from './test-support/fixtures.js';

const sessionId = '0b7c8a52-2f0e-4a34-9d3e-5a3d2c1b0a99';

function userLine(uuid: string, parentUuid: string | null, content: unknown): string {
  return JSON.stringify({ parentUuid, isSidechain: false, type: 'user', message: { role: 'user', content }, uuid, timestamp: '2026-05-01T10:00:00.000Z', sessionId, cwd: '/home/dev/x', version: '2.1.178' });
}

function assistantLine(uuid: string, parentUuid: string | null, blocks: unknown[], id = `msg_${uuid.slice(0, 8)}`): string {
  return JSON.stringify({
    parentUuid,
    isSidechain: false,
    type: 'assistant',
    message: { id, model: 'claude-opus-4-7', role: 'assistant', content: blocks, stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 5, cache_read_input_tokens: 7, cache_creation_input_tokens: 11 } },
    requestId: `req_${uuid.slice(0, 8)}`,
    uuid,
    timestamp: '2026-05-01T10:00:01.000Z',
    sessionId,
  });
}

async function writeTranscript(lines: string[], { name = `${sessionId}.jsonl`, trailingNewline = true } = {}): Promise<string> {
  const folder = await makeTempDir('forge-claude-bad-');
  const path = join(folder, name);
  await writeFile(path, lines.join('\n') + (trailingNewline ? '\n' : ''));
  return path;
}

async function readWithWarnings(path: string, maxLineBytes?: number) {
  const orphan: SessionWarning[] = [];
  const sessions = await readClaudeSession(path, { onWarning: (warning) => orphan.push(warning), ...(maxLineBytes == null ? {} : { maxLineBytes }) });
  for (const session of sessions) parseSession(session);
  return { sessions, orphan, warnings: sessions.flatMap((session) => session.warnings) };
}

const [u1, a1, u2, a2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const goodPair = [userLine(u1, null, 'hello'), assistantLine(a1, u1, [{ type: 'text', text: 'hi' }])];

afterAll(removeTempDirs);

describe('readClaudeSession on bad input', () => {
  it('should report a 0-byte file as empty-file and read no session', async () => {
    const { sessions, orphan } = await readWithWarnings(await writeTranscript([], { trailingNewline: false }));
    expect(sessions).toEqual([]);
    expect(orphan.map((warning) => warning.kind)).toEqual(['empty-file']);
  });

  it('should report a file with only metadata lines as not-a-session', async () => {
    const { sessions, orphan } = await readWithWarnings(await writeTranscript([JSON.stringify({ type: 'permission-mode', permissionMode: 'default', sessionId })]));
    expect(sessions).toEqual([]);
    expect(orphan.map((warning) => warning.kind)).toEqual(['not-a-session']);
  });

  it('should skip a truncated last line with file:line and keep the rest', async () => {
    const path = await writeTranscript([...goodPair, userLine(u2, a1, 'next').slice(0, 40)], { trailingNewline: false });
    const { sessions, warnings } = await readWithWarnings(path);
    expect(sessions[0]!.messages).toHaveLength(2);
    expect(warnings).toContainEqual(expect.objectContaining({ file: path, line: 3, kind: 'truncated-line' }));
  });

  it('should skip an invalid line in the middle with file:line and keep the rest', async () => {
    const path = await writeTranscript([goodPair[0]!, '{"type":"user", nope', goodPair[1]!]);
    const { sessions, warnings } = await readWithWarnings(path);
    expect(sessions[0]!.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(warnings).toContainEqual(expect.objectContaining({ file: path, line: 2, kind: 'invalid-json' }));
  });

  it('should count unknown line types once per type instead of failing', async () => {
    const unknown = JSON.stringify({ type: 'hologram-state', sessionId });
    const { sessions, warnings } = await readWithWarnings(await writeTranscript([unknown, ...goodPair, unknown, unknown]));
    expect(sessions[0]!.messages).toHaveLength(2);
    expect(warnings.filter((warning) => warning.kind === 'unknown-entry-type')).toEqual([expect.objectContaining({ count: 3 })]);
  });

  it('should count unknown content block types and keep the known blocks', async () => {
    const lines = [goodPair[0]!, assistantLine(a1, u1, [{ type: 'hologram', data: 1 }, { type: 'text', text: 'kept' }, { type: 'hologram' }])];
    const { sessions, warnings } = await readWithWarnings(await writeTranscript(lines));
    expect(sessions[0]!.messages[1]!.text).toBe('kept');
    expect(warnings.find((warning) => warning.kind === 'unknown-block-type')).toMatchObject({ count: 2, line: 2 });
  });

  it('should skip lines that are not objects with a type, and conversation lines without a uuid', async () => {
    const noUuid = JSON.stringify({ type: 'user', parentUuid: null, message: { role: 'user', content: 'x' } });
    const path = await writeTranscript(['[1,2,3]', noUuid, ...goodPair]);
    const { sessions, warnings } = await readWithWarnings(path);
    expect(sessions[0]!.messages).toHaveLength(2);
    expect(warnings.filter((warning) => warning.kind === 'invalid-record').map((warning) => warning.line)).toEqual([1, 2]);
  });

  it('should skip a line over maxLineBytes with a line-too-long warning', async () => {
    const huge = userLine(randomUUID(), a1, 'x'.repeat(5000));
    const path = await writeTranscript([...goodPair, huge]);
    const { sessions, warnings } = await readWithWarnings(path, 2000);
    expect(sessions[0]!.messages).toHaveLength(2);
    expect(warnings).toContainEqual(expect.objectContaining({ line: 3, kind: 'line-too-long' }));
  });

  it('should start the trajectory at a missing parent and warn', async () => {
    const path = await writeTranscript([userLine(u2, randomUUID(), 'orphaned'), assistantLine(a2, u2, [{ type: 'text', text: 'ok' }])]);
    const { sessions, warnings } = await readWithWarnings(path);
    expect(sessions[0]!.messages).toHaveLength(2);
    expect(warnings).toContainEqual(expect.objectContaining({ kind: 'missing-parent', line: 1 }));
  });

  it('should stop walking a parentUuid cycle and warn', async () => {
    const path = await writeTranscript([userLine(u1, a1, 'loop'), assistantLine(a1, u1, [{ type: 'text', text: 'round' }])]);
    const { sessions, warnings } = await readWithWarnings(path);
    expect(sessions[0]!.messages).toHaveLength(2);
    expect(warnings.map((warning) => warning.kind)).toContain('cycle');
  });

  it('should warn about a tool call whose result never came', async () => {
    const lines = [goodPair[0]!, assistantLine(a1, u1, [{ type: 'tool_use', id: 'toolu_01AAAAAAAAAAAAAAAAAAAAAA', name: 'Bash', input: { command: 'ls' } }])];
    const { sessions, warnings } = await readWithWarnings(await writeTranscript(lines));
    expect(sessions[0]!.messages[1]!.toolCalls).toHaveLength(1);
    expect(warnings.map((warning) => warning.kind)).toContain('missing-tool-result');
  });

  it('should keep images as placeholders, never the bytes', async () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo'.repeat(100) } };
    const path = await writeTranscript([userLine(u1, null, [{ type: 'text', text: 'look' }, image]), assistantLine(a1, u1, [{ type: 'text', text: 'seen' }])]);
    const { sessions } = await readWithWarnings(path);
    expect(sessions[0]!.messages[0]!.text).toBe('look\n[image]');
    expect(sessions[0]!.messages[0]!.attachments).toEqual([{ kind: 'image', mimeType: 'image/png' }]);
    expect(JSON.stringify(sessions[0])).not.toContain('iVBORw0KGgo');
  });

  it('should mark redacted and empty signed thinking as hollow', async () => {
    const lines = [goodPair[0]!, assistantLine(a1, u1, [{ type: 'thinking', thinking: '', signature: 'EqQBCkYIBxgCKkA' }, { type: 'redacted_thinking', data: 'abc' }, { type: 'text', text: 'answer' }])];
    const { sessions } = await readWithWarnings(await writeTranscript(lines));
    expect(sessions[0]!.messages[1]!.reasoning).toEqual({ state: 'hollow' });
  });
});

describe('extractClaudeSessions on bad input', () => {
  it('should throw ClaudeExtractError for an explicit root with no projects folder', async () => {
    const root = await makeTempDir('forge-claude-noroot-');
    const error = await (async () => {
      for await (const _session of extractClaudeSessions({ roots: [root] })) break;
    })().catch((caught: unknown) => caught);
    expect(ClaudeExtractError.isInstance(error)).toBe(true);
    expect((error as ClaudeExtractError).code).toBe('claude-root-missing');
  });

  it('should recognise a folder of project folders not named projects/ (a backup copy) by the transcripts in it', async () => {
    const backup = await makeTempDir('forge-claude-backup-');
    await cp(join(handWrittenRoot, 'projects'), join(backup, 'claude-backup-2026'), { recursive: true });
    // Something else beside them: a folder of JSON Lines that are no transcripts.
    await mkdir(join(backup, 'claude-backup-2026', 'notes'), { recursive: true });
    await writeFile(join(backup, 'claude-backup-2026', 'notes', 'todo.jsonl'), '{"todo":"water plants"}\n');
    const read = async (root: string) => {
      const sessions = [];
      for await (const session of extractClaudeSessions({ roots: [root] })) sessions.push(session);
      return sessions;
    };
    const original = await read(handWrittenRoot);
    const copied = await read(join(backup, 'claude-backup-2026'));
    expect(copied.map((session) => session.id)).toEqual(original.map((session) => session.id));
    expect(JSON.stringify(copied).replaceAll(join(backup, 'claude-backup-2026'), join(handWrittenRoot, 'projects'))).toBe(JSON.stringify(original));
    // One project folder named as the root is read as that project.
    const project = await read(join(backup, 'claude-backup-2026', '-home-dev-work-acme-io-site'));
    expect(project.map((session) => session.id)).toEqual(original.filter((session) => session.files[0]?.includes('acme-io-site')).map((session) => session.id));
    // A folder with no transcripts at all is still refused, with what to pass instead.
    const error = await read(join(backup, 'claude-backup-2026', 'notes')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'claude-root-missing' });
    expect((error as Error).message).toContain('no project folders with Claude Code transcripts');
  });

  it('should read CLAUDE_CONFIG_DIR (comma-separated) from the env option and merge the roots', async () => {
    const roots: string[] = [];
    for (const name of ['a', 'b']) {
      const root = await makeTempDir(`forge-claude-account-${name}-`);
      await mkdir(join(root, 'projects', '-home-dev-x'), { recursive: true });
      await writeFile(join(root, 'projects', '-home-dev-x', `${randomUUID()}.jsonl`), goodPair.join('\n') + '\n');
      roots.push(root);
    }
    const files: string[] = [];
    for await (const file of discoverClaudeSessions({ env: { CLAUDE_CONFIG_DIR: roots.join(',') } })) files.push(file.configDir);
    expect(files).toEqual(roots);
    const missingHome = await makeTempDir('forge-claude-home-');
    const none: unknown[] = [];
    for await (const file of discoverClaudeSessions({ env: {}, homeDirectory: missingHome })) none.push(file);
    expect(none).toEqual([]);
  });
});
