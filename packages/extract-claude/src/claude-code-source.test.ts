import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { demoHome, listSessionFiles, sharedFixturesRoot } from '@forge-internal/test-agents';
import { foldSessions, readFileHead, readSourceSessions, type FileSessions } from '@forge/reader-kit';
import { parseSession, summaryMessage, type Session, type SessionWarning } from '@forge/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { claudeCodeSource } from './claude-code-source.js';
import { handWrittenRoot, realRoot, samplesAsConfigDir } from './test-support/fixtures.js';
import { makeTempDir, removeTempDirs } from './test-support/temp-dirs.js';
import { streamClaudeSession } from './stream-claude-session.js';

afterAll(removeTempDirs);

/** Every Claude Code config dir the tests know: hand-written, the public samples, real files, the demo home. */
async function rootSets(): Promise<Record<string, string[]>> {
  return {
    'hand-written fixtures': [handWrittenRoot],
    'public samples': [await samplesAsConfigDir()],
    'real 2.1.330 and 2.0.76 files': [join(realRoot, 'claude', '.claude'), join(realRoot, 'claude-2.0.76', '.claude')],
    'demo home': claudeCodeSource.homeRoots(demoHome),
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('claudeCodeSource', () => {
  it('should give the same Sessions and warnings whatever the number of threads: discover, read, fold, link', async () => {
    let total = 0;
    for (const [name, roots] of Object.entries(await rootSets())) {
      const read = async (workers: number) => {
        const warnings: SessionWarning[] = [];
        const sessions = await collect(readSourceSessions(claudeCodeSource, { roots, workers, onWarning: (warning) => warnings.push(warning) }));
        return { sessions, warnings };
      };
      const here = await read(1);
      const pooled = await read(3);
      expect([name, pooled.sessions.length]).toEqual([name, here.sessions.length]);
      expect(JSON.stringify(pooled.sessions)).toBe(JSON.stringify(here.sessions));
      expect(pooled.warnings).toEqual(here.warnings);
      for (const session of here.sessions) parseSession(session);
      total += here.sessions.length;
    }
    expect(total).toBeGreaterThan(30);
  });

  it("should read with detail 'summary' what the full read gives, reduced: every message a summaryMessage, the same heads but the request shape (subagent links included)", async () => {
    let sessions = 0;
    let spawnCalls = 0;
    for (const roots of Object.values(await rootSets())) {
      for await (const file of claudeCodeSource.discover({ roots })) {
        for (const branches of ['active', 'all'] as const) {
          const full = await foldSessions(claudeCodeSource.readFile(file, { branches }));
          const summary = await foldSessions(claudeCodeSource.readFile(file, { branches, detail: 'summary' }));
          // A summary leaves the request shape (system prompt, tools) unread.
          const reduced = { ...full, sessions: full.sessions.map(({ systemPrompt: _systemPrompt, tools: _tools, ...session }) => ({ ...session, messages: session.messages.map(summaryMessage) })) };
          expect([file.path, summary]).toEqual([file.path, reduced]);
          sessions += summary.sessions.length;
          for (const session of full.sessions) for (const message of session.messages) spawnCalls += message.toolCalls.filter((call) => call.name === 'Task' || call.name === 'Agent').length;
        }
      }
    }
    expect(sessions).toBeGreaterThan(60);
    // Inline sidechains are linked by their Task call's prompt, which a summary read still decodes.
    expect(spawnCalls).toBeGreaterThan(5);
  });

  it('should link a project the same whatever order its files come in', async () => {
    const readProject = async (roots: string[]): Promise<Map<string, FileSessions[]>> => {
      const groups = new Map<string, FileSessions[]>();
      for await (const file of claudeCodeSource.discover({ roots })) {
        const folded = await foldSessions(claudeCodeSource.readFile(file));
        const group = groups.get(file.group ?? '') ?? [];
        group.push({ file, sessions: folded.sessions, linkFacts: folded.linkFacts });
        groups.set(file.group ?? '', group);
      }
      return groups;
    };
    const link = (files: FileSessions[]): { sessions: Session[]; warnings: SessionWarning[] } => {
      const warnings: SessionWarning[] = [];
      return { sessions: claudeCodeSource.link?.(files, (warning) => warnings.push(warning)) ?? [], warnings };
    };
    let projects = 0;
    for (const roots of Object.values(await rootSets())) {
      const inOrder = await readProject(roots);
      const reversed = await readProject(roots);
      for (const [group, files] of inOrder) {
        const shuffled = [...(reversed.get(group) ?? [])].reverse();
        expect(link(shuffled)).toEqual(link(files));
        projects += 1;
      }
    }
    expect(projects).toBeGreaterThan(8);
  });

  it('should claim every Claude Code transcript, and no pi-family file or prompt history', async () => {
    const transcripts: string[] = [];
    for (const roots of Object.values(await rootSets())) for await (const file of claudeCodeSource.discover({ roots })) transcripts.push(file.path);
    const others = [
      ...(await listSessionFiles(join(sharedFixturesRoot, 'pi'))),
      ...(await listSessionFiles(join(realRoot, 'pi'))),
      ...(await listSessionFiles(join(realRoot, 'omp'))),
      ...(await listSessionFiles(join(demoHome, '.pi'))),
      ...(await listSessionFiles(join(demoHome, '.omp'))),
      join(handWrittenRoot, 'history.jsonl'),
    ];
    expect(transcripts.length).toBeGreaterThan(30);
    expect(others.length).toBeGreaterThan(15);
    const claims = async (paths: string[]) => Promise.all(paths.map(async (path) => [path, claudeCodeSource.detect(await readFileHead(path), path)]));
    // Files with no conversation line at all (0 bytes, a resume's leftovers) hold nothing to tell them by.
    const withContent = [];
    for (const path of transcripts) if ((await readFileHead(path)).length > 0) withContent.push(path);
    expect(await claims(withContent)).toEqual(withContent.map((path) => [path, 'claude-code']));
    expect(await claims(others)).toEqual(others.map((path) => [path, undefined]));
  });

  it('should claim a transcript whose first line is longer than the head', () => {
    const line = `{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/w","sessionId":"d7c3835b-abb1-4df7-824f-1449e21f8053","type":"user","message":{"role":"user","content":"${'x'.repeat(70_000)}"}}\n`;
    expect(claudeCodeSource.detect(Buffer.from(line).subarray(0, 64 * 1024), '/x.jsonl')).toBe('claude-code');
    expect(claudeCodeSource.detect(Buffer.from('{"type":"session","version":3,"id":"01a2'), '/x.jsonl')).toBeUndefined();
  });
});

describe('CRLF line endings and a byte-order mark', () => {
  it('should read every Claude Code transcript written with CRLF and a UTF-8 BOM exactly as the original', async () => {
    const folder = await makeTempDir('forge-claude-crlf-');
    const roots = [handWrittenRoot, join(realRoot, 'claude'), join(realRoot, 'claude-2.0.76')];
    const files = (await Promise.all(roots.map((root) => listSessionFiles(root)))).flat().filter((path) => !path.endsWith('history.jsonl'));
    expect(files.length).toBeGreaterThan(20);
    for (const [index, path] of files.entries()) {
      const copy = join(folder, `${index}`, basename(path));
      await mkdir(join(copy, '..'), { recursive: true });
      await writeFile(copy, `\uFEFF${(await readFile(path, 'utf8')).replaceAll('\n', '\r\n')}`);
      // A subagent's meta.json goes along (it is JSON, not JSON Lines: read as it is).
      await copyFile(path.replace(/\.jsonl$/u, '.meta.json'), copy.replace(/\.jsonl$/u, '.meta.json')).catch(() => undefined);
      const original = await foldSessions(streamClaudeSession(path));
      const rewritten = await foldSessions(streamClaudeSession(copy));
      expect(JSON.stringify(rewritten).replaceAll(copy, path)).toBe(JSON.stringify(original));
    }
  });
});
