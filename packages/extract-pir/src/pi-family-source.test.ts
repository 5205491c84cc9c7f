import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { demoHome, listSessionFiles, sharedFixturesRoot } from '@forge-internal/test-agents';
import { foldSessions, readSourceSessions } from '@forge/reader-kit';
import { type SessionWarning } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { discoverPiSessions } from './discover-pi-sessions.js';
import { extractPiSessions } from './extract-pi-sessions.js';
import { piFamilySource } from './pi-family-source.js';
import { piFixtureSessions, realFixtures } from './test-support/fixture-paths.js';

/** Every pi-family root the tests know: hand-written, real pi and omp, the CLI's demo home. */
const rootSets: Record<string, string[]> = {
  'hand-written fixtures': [piFixtureSessions],
  'real pi and omp files': [join(realFixtures, 'pi', '.pi', 'agent', 'sessions'), join(realFixtures, 'omp', '.omp', 'agent', 'sessions')],
  'demo home': piFamilySource.homeRoots(demoHome),
};

async function head(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('piFamilySource', () => {
  for (const [name, roots] of Object.entries(rootSets)) {
    for (const branches of ['active', 'all'] as const) {
      it(`should give exactly the Sessions and warnings of extractPiSessions on the ${name} (${branches} branches)`, async () => {
        const expectedWarnings: SessionWarning[] = [];
        const expected = await collect(extractPiSessions({ roots, branches, onWarning: (warning) => expectedWarnings.push(warning) }));
        const warnings: SessionWarning[] = [];
        const sessions = await collect(readSourceSessions(piFamilySource, { roots, branches, onWarning: (warning) => warnings.push(warning) }));
        expect(expected.length).toBeGreaterThan(1);
        expect(sessions).toEqual(expected);
        expect(JSON.stringify(sessions)).toBe(JSON.stringify(expected));
        expect(warnings).toEqual(expectedWarnings);
      });
    }
  }

  it('should fold each file to what readPiSession gives, with the discovered source, size and time', async () => {
    for (const roots of Object.values(rootSets)) {
      for await (const file of piFamilySource.discover({ roots })) {
        const handle = (await collect(discoverPiSessions({ roots }))).find((candidate) => candidate.path === file.path);
        expect(file).toEqual({ path: handle?.path, source: handle?.flavor, size: handle?.size, mtimeMs: handle?.mtime.getTime() });
        const folded = await foldSessions(piFamilySource.readFile(file));
        expect(folded.linkFacts).toEqual([]);
        expect(folded.sessions.every((session) => session.source === file.source)).toBe(true);
      }
    }
  });

  it('should claim every pi-family session file with its source, and nothing else', async () => {
    const claimed = new Map<string, string>();
    for (const roots of Object.values(rootSets)) for await (const file of piFamilySource.discover({ roots })) claimed.set(file.path, file.source);
    const piFiles = (await Promise.all(Object.values(rootSets).flat().map((root) => listSessionFiles(root)))).flat();
    const claudeFiles = [
      ...(await listSessionFiles(join(sharedFixturesRoot, 'claude'))),
      ...(await listSessionFiles(join(realFixtures, 'claude'))),
      ...(await listSessionFiles(join(realFixtures, 'claude-2.0.76'))),
      ...(await listSessionFiles(join(demoHome, '.claude'))),
    ];
    expect(claimed.size).toBeGreaterThan(15);
    expect(claudeFiles.length).toBeGreaterThan(30);
    for (const path of piFiles) expect([path, piFamilySource.detect(await head(path), path)]).toEqual([path, claimed.get(path)]);
    for (const path of claudeFiles) expect([path, piFamilySource.detect(await head(path), path)]).toEqual([path, undefined]);
  });

  it('should read a header longer than the head from its opening', () => {
    const header = `{"type":"session","version":3,"id":"01a20bbe","cwd":"/w","previousFiles":[${'"x",'.repeat(20_000)}"y"]}\n`;
    const head = Buffer.from(header).subarray(0, 64 * 1024);
    expect(piFamilySource.detect(head, '/home/u/.pi/agent/sessions/x/a.jsonl')).toBe('pi');
    expect(piFamilySource.detect(head, '/home/u/.omp/agent/sessions/x/a.jsonl')).toBe('omp');
    expect(piFamilySource.detect(Buffer.from('{"type":"sess'), '/x.jsonl')).toBeUndefined();
  });
});
