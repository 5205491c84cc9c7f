import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { readPiSession } from '@forge/extract-pir';
import { type Message, type Session } from '@forge/schema';
import { decodeFileRead, encodeFileRead, sessionJsonPieces } from './session-codec.js';

const realPiFolder = join(sharedFixturesRoot, 'real', 'pi', '.pi', 'agent', 'sessions', '--home-ubuntu-gt-myrig-polecats-nux--');

async function realSessions(): Promise<Session[]> {
  const sessions: Session[] = [];
  for (const name of readdirSync(realPiFolder)) sessions.push(...(await readPiSession(join(realPiFolder, name))));
  return sessions;
}

/** A session whose messages hold `count` × `bytes` characters, with fields after `messages` and one left undefined. */
function bigSession(count: number, bytes: number): Session {
  const message: Message = { role: 'user', text: 'x'.repeat(bytes), reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation' };
  return { id: 'big', messages: Array.from({ length: count }, (_, index) => ({ ...message, text: `${index} ${message.text}` })), title: undefined, cwd: '/w' } as unknown as Session;
}

describe('sessionJsonPieces', () => {
  it('should give exactly JSON.stringify(session), real sessions and odd field orders alike', async () => {
    const sessions = [...(await realSessions()), bigSession(3, 10), { messages: [] } as unknown as Session, { messages: [], id: 'x' } as unknown as Session];
    expect(sessions.length).toBeGreaterThan(3);
    for (const session of sessions) expect([...sessionJsonPieces(session)].join('')).toBe(JSON.stringify(session));
  });

  it('should never build a piece longer than one message plus its comma', () => {
    const session = bigSession(50, 1000);
    const longest = Math.max(...session.messages.map((message) => JSON.stringify(message).length));
    const pieces = [...sessionJsonPieces(session)];
    expect(pieces.length).toBe(52);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(longest + 1);
  });
});

describe('encodeFileRead', () => {
  it('should round-trip real sessions with their field order, warnings and link facts', async () => {
    const value = { sessions: await realSessions(), fileWarnings: [{ file: '/a.jsonl', kind: 'empty-file' as const, message: '0 bytes' }], linkFacts: [{ summaries: [['u1', 'A title']] }] };
    const decoded = decodeFileRead(encodeFileRead(value));
    expect(decoded).toEqual(value);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(value));
  });

  it('should store a session bigger than one gzip piece as several gzip members, one line per message', () => {
    const session = bigSession(3000, 5000);
    const blob = encodeFileRead({ sessions: [session], fileWarnings: [], linkFacts: [] });
    const lines = gunzipSync(blob).toString('utf8').trimEnd().split('\n');
    // Head, session line, one line per message.
    expect(lines).toHaveLength(2 + 3000);
    // Gzip members each start with the magic bytes 1f 8b; a 15 MB text makes at least two of 8 MB.
    expect(blob.indexOf(Buffer.from([0x1f, 0x8b, 0x08]), 1)).toBeGreaterThan(0);
    expect(decodeFileRead(blob).sessions[0]).toEqual(JSON.parse(JSON.stringify(session)));
  });
});
