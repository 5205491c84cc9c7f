// forge's own extension entries (@forge/pi-extensions) in pi-family files, in the shape
// pi.appendEntry writes them (`type: custom`, `customType`, `data`). The real pi writing them with
// the real extensions is tested in apps/cli (score.town.test.ts); these lines test the reader's
// rules: validation, branches, lines.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSession } from '@forge/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPiSession } from './read-pi-session.js';
import { makeTempFolder } from './test-support/temp-folder.js';

const at = '2026-08-10T09:15:03.000Z';
const header = { type: 'session', version: 3, id: 'forge-entries', timestamp: '2026-08-10T09:15:02.312Z', cwd: '/home/ubuntu/gt/myrig/polecats/nux' };
const user = (id: string, parentId: string | null, text: string) => ({ type: 'message', id, parentId, timestamp: at, message: { role: 'user', content: text, timestamp: 1786353302466 } });
const assistant = (id: string, parentId: string, text: string) => ({
  type: 'message',
  id,
  parentId,
  timestamp: at,
  message: { role: 'assistant', content: [{ type: 'text', text }], api: 'anthropic-messages', provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0, totalTokens: 2 }, stopReason: 'stop', timestamp: 1786353303000 },
});
const custom = (id: string, parentId: string, customType: string, data: unknown) => ({ type: 'custom', id, parentId, timestamp: at, customType, data });
const turn = { v: 1, turnIndex: 0, durationMs: 12, stopReason: 'stop', tools: [{ toolCallId: 'call-1', toolName: 'bash', argumentKeys: ['command'], isError: false, durationMs: 3 }] };
const run = { v: 1, durationMs: 40, turns: 1, toolCalls: 1, toolErrors: 0 };
const beads = { v: 1, closed: ['gt-k3m9p'], updated: [], operations: [{ toolCallId: 'call-1', program: 'bd', command: 'close', beadIds: ['gt-k3m9p'], status: 'closed', isError: false, confirmed: true }] };

let folder: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  folder = await makeTempFolder('forge-entries');
});
afterEach(async () => {
  await folder.remove();
});

describe("forge's extension entries", () => {
  it("should attach the valid entries on the session's branch with their lines, and warn of data that does not validate", async () => {
    const path = join(folder.path, 'session.jsonl');
    const records = [
      header,
      user('u1', null, 'Close gt-k3m9p.'),
      assistant('a1', 'u1', 'Closing.'),
      custom('c1', 'a1', 'forge.capture.turn', turn),
      custom('c2', 'c1', 'forge.capture.agent', run),
      custom('c3', 'c2', 'forge.outcome.beads', beads),
      custom('c4', 'c3', 'forge.outcome.beads', { v: 2, closed: 'gt-k3m9p' }),
      custom('c5', 'c4', 'someone.else', { anything: true }),
      // An abandoned branch from a1: its entry is not the active session's.
      assistant('b1', 'a1', 'Another answer.'),
      custom('b2', 'b1', 'forge.capture.agent', { ...run, turns: 9 }),
      // The active leaf: the last line continues c5.
      user('u2', 'c5', 'Thanks.'),
    ];
    await writeFile(path, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
    const [active] = await readPiSession(path);
    parseSession(active);
    expect(active!.forgeEntries).toEqual({ turns: [{ ...turn, line: 4 }], runs: [{ ...run, line: 5 }], beads: [{ ...beads, line: 6 }] });
    expect(active!.warnings).toContainEqual(expect.objectContaining({ kind: 'invalid-record', line: 7, message: expect.stringContaining('forge.outcome.beads entry whose data does not validate') }));

    const sessions = await readPiSession(path, { branches: 'all' });
    const abandoned = sessions.find((session) => session.branch.leafId === 'b2');
    expect(abandoned?.forgeEntries).toEqual({ turns: [], runs: [{ ...run, turns: 9, line: 10 }], beads: [] });
  });

  it('should leave forgeEntries out when a session has none', async () => {
    const path = join(folder.path, 'plain.jsonl');
    await writeFile(path, [header, user('u1', null, 'Hi.'), assistant('a1', 'u1', 'Hello.')].map((record) => JSON.stringify(record)).join('\n') + '\n');
    const [session] = await readPiSession(path);
    expect(session).not.toHaveProperty('forgeEntries');
  });
});
