import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { claudeCodeSource } from '@forge/extract-claude';
import { piFamilySource } from '@forge/extract-pir';
import { readSourceSessions, type SessionSourceReader } from '@forge/reader-kit';
import { type Session, type SessionWarning } from '@forge/schema';
import { collectSessions, discoverInputs, type SourceSelection } from './collect-sessions.js';
import { fingerprintFileSync } from './fingerprint-file.js';
import { withStore } from './test-support/with-store.js';

const readers = [claudeCodeSource, piFamilySource];
const acmeApi = join('.claude', 'projects', '-home-dev-work-acme-api');

/** A home with Claude Code projects (resumes, subagents, an index), pi-family fixtures and real omp files. */
function fixtureHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'forge-state-home-'));
  cpSync(join(sharedFixturesRoot, 'claude', 'projects'), join(home, '.claude', 'projects'), { recursive: true });
  cpSync(join(sharedFixturesRoot, 'pi', 'sessions'), join(home, '.pi', 'agent', 'sessions'), { recursive: true });
  cpSync(join(sharedFixturesRoot, 'real', 'omp', '.omp'), join(home, '.omp'), { recursive: true });
  return home;
}

const selectionFor = (home: string): SourceSelection => ({ readers, env: {}, homeDirectory: home });
const sorted = (sessions: Session[]) => [...sessions].sort((left, right) => left.source.localeCompare(right.source) || left.id.localeCompare(right.id));

/** What the plain driver of reader-kit gives: the reference a cached collection must equal. */
async function plainRead(home: string): Promise<{ sessions: Session[]; warnings: SessionWarning[] }> {
  const sessions: Session[] = [];
  const warnings: SessionWarning[] = [];
  for (const reader of readers) {
    for await (const session of readSourceSessions(reader, { env: {}, homeDirectory: home, onWarning: (warning) => warnings.push(warning) })) sessions.push(session);
  }
  return { sessions: sorted(sessions), warnings };
}

describe('collectSessions', () => {
  it('should give what the readers give, then the same from the cache without opening a file', async () => {
    const home = fixtureHome();
    const cache = join(home, 'state.sqlite');
    const reference = await plainRead(home);
    expect(reference.sessions.length).toBeGreaterThan(10);
    const first = await withStore(cache, (store) => collectSessions({ selection: selectionFor(home), store }));
    expect(JSON.stringify(first.sessions)).toBe(JSON.stringify(reference.sessions));
    // Every warning but the notes about pir's index (nothing is lost: the folders are scanned too).
    expect(first.fileWarnings).toEqual(reference.warnings.filter((warning) => !warning.kind.startsWith('index-')));
    expect(first.filesRead).toBe(first.inputs.length);
    expect(first.inputs.every((input) => !input.cached && input.fingerprint.startsWith('sha256-sampled:'))).toBe(true);
    const again = await withStore(cache, (store) => collectSessions({ selection: selectionFor(home), store }));
    expect(again.filesRead).toBe(0);
    expect(again.inputs.every((input) => input.cached)).toBe(true);
    expect(JSON.stringify(again.sessions)).toBe(JSON.stringify(first.sessions));
    expect({ ...again, inputs: [] }).toEqual({ ...first, filesRead: 0, inputs: [] });
  });

  it('should read one changed Claude Code transcript again, not its project, and link the project anew', async () => {
    const home = fixtureHome();
    const cache = join(home, 'state.sqlite');
    await withStore(cache, (store) => collectSessions({ selection: selectionFor(home), store }));
    // The resumed copy's summary names a leaf of the original session (another file): rename it.
    const changed = join(home, acmeApi, '72eefe99-4807-419a-9f07-2c6140e3343e.jsonl');
    writeFileSync(changed, readFileSync(changed, 'utf8').replace('Health check endpoint added to FastAPI app', 'A title set after the first run'));
    const rerun = await withStore(cache, (store) => collectSessions({ selection: selectionFor(home), store }));
    expect(rerun.filesRead).toBe(1);
    expect(rerun.inputs.filter((input) => !input.cached).map((input) => input.path)).toEqual([changed]);
    const reference = await plainRead(home);
    expect(JSON.stringify(rerun.sessions)).toBe(JSON.stringify(reference.sessions));
    // The original session, served from the cache, took its new title from the file read again.
    expect(rerun.sessions.find((session) => session.id === 'd7c3835b-abb1-4df7-824f-1449e21f8053')?.title).toBe('A title set after the first run');
  });

  it('should keep only the sources asked for, stream sessions to a consumer, and prune the reads of files gone', async () => {
    const home = fixtureHome();
    const cache = join(home, 'state.sqlite');
    await withStore(cache, (store) => collectSessions({ selection: selectionFor(home), store }));
    const consumed: Session[] = [];
    const omp = await withStore(cache, (store) =>
      collectSessions({
        selection: { ...selectionFor(home), sources: new Set(['omp']) },
        store,
        consume: (session) => {
          consumed.push(session);
          return Promise.resolve();
        },
      }),
    );
    expect(omp.sessions).toEqual([]);
    expect(consumed.length).toBe(omp.sessionCount);
    expect(new Set(consumed.map((session) => session.source))).toEqual(new Set(['omp']));
    expect(new Set(omp.inputs.map((input) => input.source))).toEqual(new Set(['omp']));
    expect(omp.filesRead).toBe(0);
    rmSync(join(home, '.omp'), { recursive: true });
    await withStore(cache, async (store) => {
      await collectSessions({ selection: selectionFor(home), store });
      const claudeFile = join(home, acmeApi, 'fa341524-a7a6-47a0-a176-2eb09ddd7bf5.jsonl');
      expect(store.lookupFile(claudeFile)).toBeDefined();
      expect(omp.inputs.every((input) => store.lookupFile(input.path) == null)).toBe(true);
    });
  });

  it('should fingerprint each file from the bytes its reader read, and not cache a file that grew after discovery', async () => {
    const home = fixtureHome();
    const cache = join(home, 'state.sqlite');
    // The real readers, noting each file whose bytes they handed back (the one read of a small file).
    const handedBack: string[] = [];
    const noting = readers.map((reader): SessionSourceReader => ({
      ...reader,
      readFile: (file, options = {}) => {
        const forward = options.onWholeRead;
        return reader.readFile(file, forward == null ? options : { ...options, onWholeRead: (bytes) => (handedBack.push(file.path), forward(bytes)) });
      },
    }));
    const selection = { ...selectionFor(home), readers: noting };
    const discovered = await discoverInputs(selection);
    const grown = discovered.files.find((file) => file.source === 'pi')!;
    appendFileSync(grown.path, '\n');
    const collected = await withStore(cache, (store) => collectSessions({ selection, discovered, store }));
    expect(collected.filesRead).toBe(collected.inputs.length);
    expect(handedBack.sort()).toEqual(collected.inputs.map((input) => input.path));
    // The same fingerprint as one read from the file (a cache of an earlier version stays valid)...
    const unchanged = collected.inputs.filter((input) => input.path !== grown.path);
    expect(unchanged.every((input) => input.fingerprint === fingerprintFileSync(input.path, input.size))).toBe(true);
    await withStore(cache, (store) => {
      expect(unchanged.every((input) => store.lookupFile(input.path)?.fingerprint === input.fingerprint)).toBe(true);
      // ...but the file that grew between discovery and its read is not cached under its old size.
      expect(store.lookupFile(grown.path)).toBeUndefined();
      return Promise.resolve();
    });
    const rerun = await withStore(cache, (store) => collectSessions({ selection: selectionFor(home), store }));
    expect(rerun.inputs.filter((input) => !input.cached).map((input) => input.path)).toEqual([grown.path]);
  });

  it('should list files that gave no session with why', async () => {
    const home = fixtureHome();
    writeFileSync(join(home, acmeApi, '00000000-0000-4000-8000-000000000000.jsonl'), '');
    mkdirSync(join(home, '.pi', 'agent', 'sessions', '--tmp--'), { recursive: true });
    writeFileSync(join(home, '.pi', 'agent', 'sessions', '--tmp--', '2026-01-01T00-00-00-000Z_empty.jsonl'), '');
    const collected = await collectSessions({ selection: selectionFor(home) });
    const claude = join(home, acmeApi, '00000000-0000-4000-8000-000000000000.jsonl');
    const pi = join(home, '.pi', 'agent', 'sessions', '--tmp--', '2026-01-01T00-00-00-000Z_empty.jsonl');
    // The Claude Code file was read and gave nothing; pi's discovery passed its empty file over.
    expect(collected.skippedFiles).toEqual([
      { path: claude, reason: 'file is empty' },
      { path: pi, reason: 'empty session file skipped (0 bytes)' },
    ]);
    expect(collected.fileWarnings.map((warning) => `${warning.kind} ${warning.file}`).sort()).toEqual([`empty-file ${claude}`, `empty-file ${pi}`]);
    expect(collected.inputs.map((input) => input.path)).toContain(claude);
  });
});
