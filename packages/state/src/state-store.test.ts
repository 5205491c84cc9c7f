import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { piFamilySource } from '@forge/extract-pir';
import { foldSessions } from '@forge/reader-kit';
import { StateError } from './state-error.js';
import { stateMigrations } from './state-migrations.js';
import { StateStore } from './state-store.js';

const realPiFile = join(sharedFixturesRoot, 'real', 'pi', '.pi', 'agent', 'sessions', '--home-ubuntu-gt-myrig-polecats-nux--', '2026-11-24T04-07-46-724Z_01a20bbd-0523-7082-89d0-f65b0db11203.jsonl');

async function realRead() {
  return foldSessions(piFamilySource.readFile({ path: realPiFile, source: 'pi', size: 0, mtimeMs: 0 }));
}

const databasePath = () => join(mkdtempSync(join(tmpdir(), 'forge-state-')), 'state.sqlite');
const file = { path: '/s/a.jsonl', source: 'pi' as const, size: 10, mtimeMs: 5, fingerprint: 'f' };

describe('StateStore', () => {
  it('should keep what reading a file gave across reopenings, and prune only the sources asked', async () => {
    const path = databasePath();
    const read = await realRead();
    expect(read.sessions).toHaveLength(1);
    const store = await StateStore.open(path, { cacheVersion: '1' });
    store.storeFile(file, read);
    store.storeFile({ ...file, path: '/c/b.jsonl', source: 'claude-code' }, { sessions: [], fileWarnings: [], linkFacts: [{ summaries: [] }] });
    store.close();
    const reopened = await StateStore.open(path, { cacheVersion: '1' });
    const row = reopened.lookupFile('/s/a.jsonl');
    expect(row).toMatchObject(file);
    expect(JSON.stringify(row?.load())).toBe(JSON.stringify(read));
    reopened.touchFile('/s/a.jsonl', 9);
    expect(reopened.lookupFile('/s/a.jsonl')?.mtimeMs).toBe(9);
    // A run over pi files only does not drop the Claude Code files' reads.
    expect(reopened.pruneFiles(new Set(['pi']), new Set())).toBe(1);
    expect(reopened.lookupFile('/s/a.jsonl')).toBeUndefined();
    expect(reopened.lookupFile('/c/b.jsonl')?.load().linkFacts).toEqual([{ summaries: [] }]);
    reopened.close();
  });

  it('should empty the read cache when the cache version changes, and keep the run records', async () => {
    const path = databasePath();
    const store = await StateStore.open(path, { cacheVersion: '1.0.0' });
    store.storeFile(file, await realRead());
    store.recordRun('/out', { signature: 's', outputState: 'o' });
    store.close();
    const upgraded = await StateStore.open(path, { cacheVersion: '1.1.0' });
    expect(upgraded.lookupFile('/s/a.jsonl')).toBeUndefined();
    expect(upgraded.lastRun('/out')).toEqual({ signature: 's', outputState: 'o' });
    upgraded.close();
  });

  it('should keep curation verdicts across reopenings and cache version changes, the latest per session', async () => {
    const path = databasePath();
    const store = await StateStore.open(path, { cacheVersion: '1.0.0' });
    store.recordVerdicts([
      { sessionId: 'b', verdict: 'bad', by: 'gastown/witness', note: 'looped on the same failing test', at: '2026-12-05T04:00:00Z' },
      { sessionId: 'a', verdict: 'skip' },
    ]);
    store.recordVerdicts([{ sessionId: 'a', verdict: 'good', by: 'me' }]);
    store.close();
    const upgraded = await StateStore.open(path, { cacheVersion: '1.1.0' });
    expect([...upgraded.verdicts().values()]).toEqual([
      { sessionId: 'a', verdict: 'good', by: 'me' },
      { sessionId: 'b', verdict: 'bad', by: 'gastown/witness', note: 'looped on the same failing test', at: '2026-12-05T04:00:00Z' },
    ]);
    // All or none: a verdict the table refuses leaves the earlier ones as they were.
    expect(() => upgraded.recordVerdicts([{ sessionId: 'c', verdict: 'good' }, { sessionId: 'd', verdict: 'great' as 'good' }])).toThrow();
    expect([...upgraded.verdicts().keys()]).toEqual(['a', 'b']);
    upgraded.close();
  });

  it('should replace the cache tables of forge 0.1 and refuse a schema newer than it knows', async () => {
    const path = databasePath();
    const old = new Database(path);
    old.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('format', '5:0.1.0'); CREATE TABLE files (path TEXT PRIMARY KEY); CREATE TABLE set_sessions (set_key TEXT)");
    old.close();
    const store = await StateStore.open(path, { cacheVersion: '1' });
    store.close();
    const migrated = new Database(path, { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(stateMigrations.length);
    expect((migrated.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((table) => table.name)).toEqual(['file_reads', 'header_memo', 'meta', 'run_lock', 'runs', 'unit_results', 'verdicts']);
    migrated.close();
    const newer = new Database(path);
    newer.pragma(`user_version = ${stateMigrations.length + 1}`);
    newer.close();
    await expect(StateStore.open(path, { cacheVersion: '1' })).rejects.toMatchObject({ code: 'state-too-new' });
  });

  it('should say which file is not a state database', async () => {
    const path = databasePath();
    writeFileSync(path, 'not a database, just text long enough to have a header page'.repeat(100));
    const failure = await StateStore.open(path, { cacheVersion: '1' }).catch((error: unknown) => error);
    expect(StateError.isInstance(failure)).toBe(true);
    expect((failure as StateError).code).toBe('state-unreadable');
    expect((failure as StateError).message).toContain(path);
  });

  it('should let a second opener wait for the first to close, or stop after its timeout', async () => {
    const path = databasePath();
    const first = await StateStore.open(path, { cacheVersion: '1' });
    const waits: number[] = [];
    await expect(StateStore.open(path, { cacheVersion: '1', waitTimeoutMs: 100, pollMs: 20, onWait: (holder) => waits.push(holder.pid) })).rejects.toMatchObject({
      code: 'state-busy',
      message: expect.stringContaining(`another forge run (pid ${process.pid} on `),
    });
    expect(waits).toEqual([process.pid]);
    const second = StateStore.open(path, { cacheVersion: '1', pollMs: 20 });
    setTimeout(() => first.close(), 100);
    const opened = await second;
    expect(opened.lastRun('/none')).toBeUndefined();
    opened.close();
  });

  it('should take over the hold of a run that was killed', async () => {
    const path = databasePath();
    // A real process takes the hold and is SIGKILLed while it has it.
    const script = `
      const { StateStore } = await import(${JSON.stringify(join(import.meta.dirname, 'state-store.ts'))});
      await StateStore.open(${JSON.stringify(path)}, { cacheVersion: '1' });
      process.stdout.write('holding\\n');
      setInterval(() => undefined, 1000);`;
    const child = spawn(process.execPath, ['--conditions=@forge/source', '--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
    await expect(StateStore.open(path, { cacheVersion: '1', waitTimeoutMs: 50, pollMs: 10 })).rejects.toMatchObject({ code: 'state-busy' });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const store = await StateStore.open(path, { cacheVersion: '1', waitTimeoutMs: 1000 });
    store.close();
  });
});
