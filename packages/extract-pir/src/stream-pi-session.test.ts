import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSession, type Message, type Session } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { readPiSession } from './read-pi-session.js';
import { streamPiSession } from './stream-pi-session.js';
import { piFixtureSessions, realFixtures } from './test-support/fixture-paths.js';
import { makeTempFolder } from './test-support/temp-folder.js';

function sessionFilesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function streamed(path: string): Promise<{ messages: Message[]; session: Session | undefined }> {
  const messages: Message[] = [];
  let session: Session | undefined;
  for await (const item of streamPiSession(path)) {
    if (item.kind === 'message') messages.push(item.message);
    else session = item.session;
  }
  return { messages, session };
}

const files = [...sessionFilesUnder(piFixtureSessions), ...sessionFilesUnder(join(realFixtures, 'pi')), ...sessionFilesUnder(join(realFixtures, 'omp'))];

describe('streamPiSession', () => {
  it.each(files)('should yield exactly what readPiSession returns for %s', async (path) => {
    const [expected] = await readPiSession(path);
    const { messages, session } = await streamed(path);
    expect(messages).toEqual(expected!.messages);
    expect(parseSession(session)).toEqual({ ...expected, messages: [] });
  });

  it('should agree with readPiSession on bad input: missing parents, cycles, unknown types, out-of-order parents', async () => {
    const folder = await makeTempFolder('stream');
    try {
      const entry = (id: string, parentId: string | null, text: string, role = 'user') => ({
        type: 'message',
        id,
        parentId,
        timestamp: '2026-08-10T09:15:03.000Z',
        message: { role, content: text, timestamp: 1786353302466 },
      });
      const cases: Record<string, unknown[]> = {
        missingParent: [entry('aaaaaaa1', null, 'lost'), entry('aaaaaaa2', 'ffffffff', 'orphan')],
        cycle: [entry('aaaaaaa1', 'aaaaaaa2', 'ping'), entry('aaaaaaa2', 'aaaaaaa1', 'pong')],
        unknown: [entry('aaaaaaa1', null, 'go'), { type: 'future', id: 'aaaaaaa2', parentId: 'aaaaaaa1' }, entry('aaaaaaa3', 'aaaaaaa2', 'x', 'oracle'), entry('aaaaaaa4', 'aaaaaaa3', 'end')],
        childFirst: [entry('aaaaaaa2', 'aaaaaaa1', 'second'), entry('aaaaaaa1', null, 'first')],
      };
      await mkdir(folder.path, { recursive: true });
      for (const [name, records] of Object.entries(cases)) {
        const header = { type: 'session', version: 3, id: name, timestamp: '2026-08-10T09:15:02.312Z', cwd: '/tmp' };
        const path = join(folder.path, `${name}.jsonl`);
        await writeFile(path, `${[header, ...records].map((record) => JSON.stringify(record)).join('\n')}\n{"type":"message","id":"trunc`);
        const [expected] = await readPiSession(path);
        const { messages, session } = await streamed(path);
        expect(messages, name).toEqual(expected!.messages);
        expect(session!.warnings.map((warning) => [warning.kind, warning.line]).sort(), name).toEqual(expected!.warnings.map((warning) => [warning.kind, warning.line]).sort());
      }
    } finally {
      await folder.remove();
    }
  });
});
