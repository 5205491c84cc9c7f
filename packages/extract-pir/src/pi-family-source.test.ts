import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoHome, listSessionFiles, sharedFixturesRoot } from '@forge-internal/test-agents';
import { foldSessions, readFileHead, readSourceSessions } from '@forge/reader-kit';
import { parseSession, type SessionWarning } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { discoverPiSessions } from './discover-pi-sessions.js';
import { piFamilySource } from './pi-family-source.js';
import { streamPiSession } from './stream-pi-session.js';
import { piFixtureSessions, realFixtures } from './test-support/fixture-paths.js';
import { makeTempFolder } from './test-support/temp-folder.js';

/** Every pi-family root the tests know: hand-written, real pi and omp, the CLI's demo home. */
const rootSets: Record<string, string[]> = {
  'hand-written fixtures': [piFixtureSessions],
  'real pi and omp files': [join(realFixtures, 'pi', '.pi', 'agent', 'sessions'), join(realFixtures, 'omp', '.omp', 'agent', 'sessions')],
  'demo home': piFamilySource.homeRoots(demoHome),
};

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('piFamilySource', () => {
  for (const [name, roots] of Object.entries(rootSets)) {
    for (const branches of ['active', 'all'] as const) {
      it(`should give the same Sessions and warnings on one thread and on three, on the ${name} (${branches} branches)`, async () => {
        const read = async (workers: number) => {
          const warnings: SessionWarning[] = [];
          const sessions = await collect(readSourceSessions(piFamilySource, { roots, branches, workers, onWarning: (warning) => warnings.push(warning) }));
          return { sessions, warnings };
        };
        const here = await read(1);
        const pooled = await read(3);
        expect(here.sessions.length).toBeGreaterThan(1);
        expect(JSON.stringify(pooled.sessions)).toBe(JSON.stringify(here.sessions));
        expect(pooled.warnings).toEqual(here.warnings);
        for (const session of here.sessions) parseSession(session);
      });
    }
  }

  it('should list each file with the discovered source, size and time, and fold it to Sessions of that source', async () => {
    for (const roots of Object.values(rootSets)) {
      for await (const file of piFamilySource.discover({ roots })) {
        const handle = (await collect(discoverPiSessions({ roots }))).find((candidate) => candidate.path === file.path);
        expect(file).toEqual({ path: handle?.path, source: handle?.source, size: handle?.size, mtimeMs: handle?.mtimeMs });
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
    for (const path of piFiles) expect([path, piFamilySource.detect(await readFileHead(path), path)]).toEqual([path, claimed.get(path)]);
    for (const path of claudeFiles) expect([path, piFamilySource.detect(await readFileHead(path), path)]).toEqual([path, undefined]);
  });

  it('should read a header longer than the head from its opening', () => {
    const header = `{"type":"session","version":3,"id":"01a20bbe","cwd":"/w","previousFiles":[${'"x",'.repeat(20_000)}"y"]}\n`;
    const head = Buffer.from(header).subarray(0, 64 * 1024);
    expect(piFamilySource.detect(head, '/home/u/.pi/agent/sessions/x/a.jsonl')).toBe('pi');
    expect(piFamilySource.detect(head, '/home/u/.omp/agent/sessions/x/a.jsonl')).toBe('omp');
    expect(piFamilySource.detect(Buffer.from('{"type":"sess'), '/x.jsonl')).toBeUndefined();
  });
});

describe('CRLF line endings and a byte-order mark', () => {
  it('should read every pi-family file written with CRLF and a UTF-8 BOM exactly as the original', async () => {
    const folder = await makeTempFolder('crlf');
    try {
      const files = (await Promise.all(Object.values(rootSets).flat().map((root) => listSessionFiles(root)))).flat();
      expect(files.length).toBeGreaterThan(15);
      for (const [index, path] of files.entries()) {
        const copy = join(folder.path, `${index}`, path.split('/').slice(-2).join('/'));
        await mkdir(join(copy, '..'), { recursive: true });
        await writeFile(copy, `\uFEFF${(await readFile(path, 'utf8')).replaceAll('\n', '\r\n')}`);
        for (const branches of ['active', 'all'] as const) {
          const original = await foldSessions(streamPiSession(path, { branches }));
          const rewritten = await foldSessions(streamPiSession(copy, { branches }));
          expect(JSON.stringify(rewritten).replaceAll(copy, path)).toBe(JSON.stringify(original));
        }
      }
    } finally {
      await folder.remove();
    }
  });
});
