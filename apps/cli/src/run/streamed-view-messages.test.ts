import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPiSession } from '@forge/extract-pir';
import { scoringView } from '@forge/scoring';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHugePiSession } from '../../bench/generate-huge-session.js';
import { StreamedViewMessages } from './streamed-view-messages.js';
import { ViewSpill } from './view-spill.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'forge-streamed-view-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('StreamedViewMessages and ViewSpill.addStreamed', () => {
  it('should spill a view built a message at a time as the view of the whole session (over several 1 MB pieces)', { timeout: 120_000 }, async () => {
    const path = join(folder, 'session.jsonl');
    generateHugePiSession({ path, targetBytes: 40_000_000 });
    const [session] = await readPiSession(path);
    const spill = new ViewSpill(join(folder, 'views.jsonl'));
    spill.add({ active: true, candidate: false }, JSON.stringify({ ...scoringView({ ...session!, messages: [] }), id: 'before' }));
    const messages = new StreamedViewMessages(join(folder, 'messages.tmp'));
    for (const message of session!.messages) messages.add(message);
    messages.close();
    const { messages: _none, ...head } = scoringView({ ...session!, messages: [] });
    const ref = spill.addStreamed({ active: true, candidate: true }, head, messages.path);
    spill.add({ active: false, candidate: false }, JSON.stringify({ ...scoringView({ ...session!, messages: [] }), id: 'after' }));
    spill.flush();
    expect(ref).toEqual({ file: spill.file, line: 1 });
    const entries = (await readFile(spill.file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { view: { id: string; messages: unknown[] } });
    expect(entries.map(({ view }) => view.id)).toEqual(['before', session!.id, 'after']);
    const whole = JSON.parse(JSON.stringify(scoringView(session!))) as unknown;
    // More than one piece of message views was written and copied.
    expect(JSON.stringify(entries[1]!.view.messages).length).toBeGreaterThan(2 * 1024 * 1024);
    expect(entries[1]).toEqual({ active: true, candidate: true, view: whole });
  });
});
