import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SourceEvent } from '@forge/reader-kit';
import { parseSession } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { streamPiSession } from './stream-pi-session.js';
import { piFixtureSessions, realFixtures } from './test-support/fixture-paths.js';
import { makeTempFolder } from './test-support/temp-folder.js';

function sessionFilesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function events(path: string, branches: 'active' | 'all' = 'active'): Promise<SourceEvent[]> {
  const all: SourceEvent[] = [];
  for await (const event of streamPiSession(path, { branches })) all.push(event);
  return all;
}

const files = [...sessionFilesUnder(piFixtureSessions), ...sessionFilesUnder(join(realFixtures, 'pi')), ...sessionFilesUnder(join(realFixtures, 'omp'))];

describe('streamPiSession', () => {
  it.each(files)('should send each trajectory of %s as its messages, then its head', async (path) => {
    for (const branches of ['active', 'all'] as const) {
      const stream = await events(path, branches);
      const heads = stream.flatMap((event) => (event.kind === 'session' ? [event.session] : []));
      expect(heads.length).toBeGreaterThan(0);
      let from = 0;
      for (const head of heads) {
        const end = stream.findIndex((event, position) => position >= from && event.kind === 'session');
        const messages = stream.slice(from, end);
        expect(messages.every((event) => event.kind === 'message' && event.sessionId === head.id)).toBe(true);
        // The head's totals are over exactly these messages.
        const output = messages.reduce((total, event) => total + (event.kind === 'message' ? (event.message.usage?.output ?? 0) : 0), 0);
        expect(head.usage.output).toBe(output);
        parseSession({ ...head, messages: messages.map((event) => (event.kind === 'message' ? event.message : undefined)) });
        from = end + 1;
      }
      expect(from).toBe(stream.length);
      expect(heads.filter((head) => head.branch.isActive)).toHaveLength(1);
    }
  });

  it('should stop a path at a missing parent or a cycle, and read parents written after their children', async () => {
    const folder = await makeTempFolder('stream');
    try {
      const entry = (id: string, parentId: string | null, text: string, role = 'user') => ({
        type: 'message',
        id,
        parentId,
        timestamp: '2026-08-10T09:15:03.000Z',
        message: { role, content: text, timestamp: 1786353302466 },
      });
      const cases: Record<string, { records: unknown[]; texts: string[]; warnings: [string, number][] }> = {
        missingParent: { records: [entry('aaaaaaa1', null, 'lost'), entry('aaaaaaa2', 'ffffffff', 'orphan')], texts: ['orphan'], warnings: [['truncated-line', 4], ['missing-parent', 3]] },
        cycle: { records: [entry('aaaaaaa1', 'aaaaaaa2', 'ping'), entry('aaaaaaa2', 'aaaaaaa1', 'pong')], texts: ['ping', 'pong'], warnings: [['truncated-line', 4], ['cycle', 3]] },
        unknown: {
          records: [entry('aaaaaaa1', null, 'go'), { type: 'future', id: 'aaaaaaa2', parentId: 'aaaaaaa1' }, entry('aaaaaaa3', 'aaaaaaa2', 'x', 'oracle'), entry('aaaaaaa4', 'aaaaaaa3', 'end')],
          texts: ['go', 'end'],
          // Line-level warnings first, then the walk's, then those of the messages read.
          warnings: [['unknown-entry-type', 3], ['truncated-line', 6], ['unknown-role', 4]],
        },
        childFirst: { records: [entry('aaaaaaa2', 'aaaaaaa1', 'second'), entry('aaaaaaa1', null, 'first')], texts: ['first'], warnings: [['truncated-line', 4]] },
      };
      await mkdir(folder.path, { recursive: true });
      for (const [name, { records, texts, warnings }] of Object.entries(cases)) {
        const header = { type: 'session', version: 3, id: name, timestamp: '2026-08-10T09:15:02.312Z', cwd: '/tmp' };
        const path = join(folder.path, `${name}.jsonl`);
        await writeFile(path, `${[header, ...records].map((record) => JSON.stringify(record)).join('\n')}\n{"type":"message","id":"trunc`);
        const stream = await events(path);
        expect(stream.flatMap((event) => (event.kind === 'message' ? [event.message.text] : [])), name).toEqual(texts);
        const head = stream.at(-1);
        expect(head?.kind === 'session' ? head.session.warnings.map((warning) => [warning.kind, warning.line]) : undefined, name).toEqual(warnings);
      }
      // The natural tip is the last entry in file order; its child, written first, is the other leaf.
      const all = await events(join(folder.path, 'childFirst.jsonl'), 'all');
      expect(all.map((event) => (event.kind === 'message' ? event.message.text : event.kind === 'session' ? `${event.session.branch.leafId} ${event.session.branch.isActive}` : ''))).toEqual([
        'first',
        'second',
        'aaaaaaa2 false',
        'first',
        'aaaaaaa1 true',
      ]);
    } finally {
      await folder.remove();
    }
  });
});
