import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { discoverPiSessions, piFamilySource, type PiSessionHandle } from '@forge/extract-pir';
import { type SessionWarning } from '@forge/schema';
import { discoverInputs } from './collect-sessions.js';
import { type StateStore } from './state-store.js';
import { withStore } from './test-support/with-store.js';

// Whole seconds: a Date round-trips through utimes exactly, so a rewritten file keeps its mtime.
const pinned = new Date('2026-01-02T03:04:05Z');
const ompFolder = join('.omp', 'agent', 'sessions', '-gt-myrig-polecats-nux');
const ompParent = '2026-11-24T04-08-52-412Z_01a20bbe-05bc-7000-9119-1a4109a63236';

/** A home with the pi fixtures (pir's index included), real omp files, an omp subagent and a file that is no session; every mtime pinned. */
function piHome(): { home: string; roots: string[]; notASession: string } {
  const home = mkdtempSync(join(tmpdir(), 'forge-header-memo-'));
  cpSync(join(sharedFixturesRoot, 'pi', 'sessions'), join(home, '.pi', 'agent', 'sessions'), { recursive: true });
  cpSync(join(sharedFixturesRoot, 'real', 'omp', '.omp'), join(home, '.omp'), { recursive: true });
  mkdirSync(join(home, ompFolder, ompParent));
  copyFileSync(join(home, ompFolder, `${ompParent}.jsonl`), join(home, ompFolder, ompParent, 'task-1.jsonl'));
  const notASession = join(home, '.pi', 'agent', 'sessions', '--home-ubuntu-gt-mayor--', 'notes.jsonl');
  writeFileSync(notASession, `${JSON.stringify({ type: 'message', note: 'x'.repeat(80) })}\n`);
  for (const path of sessionFiles(home)) utimesSync(path, pinned, pinned);
  return { home, roots: [join(home, '.pi', 'agent', 'sessions'), join(home, '.omp', 'agent', 'sessions')], notASession };
}

function sessionFiles(home: string): string[] {
  return ['.pi', '.omp'].flatMap((folder) => (readdirSync(join(home, folder), { recursive: true }) as string[]).filter((name) => name.endsWith('.jsonl')).map((name) => join(home, folder, name)));
}

/** Writes a file's new content of the same size and sets its mtime back: only a read can tell it changed. */
function rewriteUnchangedStats(path: string, content: string): void {
  expect(Buffer.byteLength(content)).toBe(statSync(path).size);
  writeFileSync(path, content);
  utimesSync(path, pinned, pinned);
}

/** The header id of a file replaced with another of the same length. */
function otherId(id: string): string {
  return `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
}

/** pi-family discovery with the store's memo (none: read every header), the memo saved after. */
async function discover(roots: string[], store?: StateStore, trust = true): Promise<{ handles: PiSessionHandle[]; warnings: SessionWarning[]; dropped: number }> {
  const handles: PiSessionHandle[] = [];
  const warnings: SessionWarning[] = [];
  const headerMemo = store?.headerMemo('pi-family', { trust });
  for await (const handle of discoverPiSessions({ roots, onWarning: (warning) => warnings.push(warning), ...(headerMemo == null ? {} : { headerMemo }) })) handles.push(handle);
  return { handles, warnings, dropped: headerMemo?.save() ?? 0 };
}

describe('header memo', () => {
  it('should give the same handles on a re-run without opening an unchanged pi-family file', async () => {
    const { home, roots, notASession } = piHome();
    const database = join(home, 'state.sqlite');
    const reference = await discover(roots);
    expect(reference.handles.some((handle) => handle.source === 'omp' && handle.parentPath != null)).toBe(true);
    expect(reference.warnings.some((warning) => warning.file === notASession && warning.kind === 'not-a-session')).toBe(true);
    const first = await withStore(database, (store) => discover(roots, store));
    expect(first.handles).toEqual(reference.handles);
    expect(first.warnings).toEqual(reference.warnings);
    // Every file now holds something else of the same size and mtime: a file opened would be no session.
    for (const path of sessionFiles(home)) rewriteUnchangedStats(path, ' '.repeat(statSync(path).size));
    expect((await discover(roots)).handles).toEqual([]);
    const again = await withStore(database, (store) => discover(roots, store));
    expect(again.handles).toEqual(reference.handles);
    expect(again.warnings).toEqual(reference.warnings);
    expect(again.dropped).toBe(0);
  });

  it('should read a file again when its size or mtime changed, and every file with trust off (--full), refreshing the memo', async () => {
    const { home, roots } = piHome();
    const database = join(home, 'state.sqlite');
    const first = await withStore(database, (store) => discover(roots, store));
    const [sameStats, newMtime, newSize] = first.handles.filter((handle) => handle.source !== 'omp');
    const rewrite = (handle: PiSessionHandle, id: string) => readFileSync(handle.path, 'utf8').replace(handle.id, id);
    rewriteUnchangedStats(sameStats!.path, rewrite(sameStats!, otherId(sameStats!.id)));
    writeFileSync(newMtime!.path, rewrite(newMtime!, otherId(newMtime!.id)));
    utimesSync(newMtime!.path, pinned, new Date(pinned.getTime() + 60_000));
    writeFileSync(newSize!.path, rewrite(newSize!, `${newSize!.id}x`));
    utimesSync(newSize!.path, pinned, pinned);
    const idOf = (result: { handles: PiSessionHandle[] }, path: string) => result.handles.find((handle) => handle.path === path)?.id;
    const again = await withStore(database, (store) => discover(roots, store));
    expect(idOf(again, sameStats!.path)).toBe(sameStats!.id);
    expect(idOf(again, newMtime!.path)).toBe(otherId(newMtime!.id));
    expect(idOf(again, newSize!.path)).toBe(`${newSize!.id}x`);
    const full = await withStore(database, (store) => discover(roots, store, false));
    expect(idOf(full, sameStats!.path)).toBe(otherId(sameStats!.id));
    expect(full.handles).toEqual((await discover(roots)).handles);
    const afterFull = await withStore(database, (store) => discover(roots, store));
    expect(idOf(afterFull, sameStats!.path)).toBe(otherId(sameStats!.id));
  });

  it('should warn about a remembered non-session on every run, and drop the entries of files gone', async () => {
    const { home, roots, notASession } = piHome();
    const database = join(home, 'state.sqlite');
    await withStore(database, (store) => discover(roots, store));
    // Now a session of the same size and mtime: remembered as none, it is not read, and still warned about.
    const header = JSON.stringify({ type: 'session', version: 3, id: 'a-new-session', cwd: '/w' });
    rewriteUnchangedStats(notASession, `${header.padEnd(statSync(notASession).size - 1, ' ')}\n`);
    const again = await withStore(database, (store) => discover(roots, store));
    expect(again.warnings.filter((warning) => warning.file === notASession)).toEqual([
      { file: notASession, kind: 'not-a-session', message: 'not a pi session: the first record is not a {"type":"session"} header; skipped', line: 1 },
    ]);
    expect(again.handles.some((handle) => handle.path === notASession)).toBe(false);
    rmSync(notASession);
    const withoutIt = await withStore(database, (store) => discover(roots, store));
    expect(withoutIt.dropped).toBe(1);
    expect(withoutIt.warnings.some((warning) => warning.file === notASession)).toBe(false);
  });

  it('should forget every header when the cache version changes (the readers changed)', async () => {
    const { home, roots } = piHome();
    const database = join(home, 'state.sqlite');
    await withStore(database, (store) => discover(roots, store));
    for (const path of sessionFiles(home)) rewriteUnchangedStats(path, ' '.repeat(statSync(path).size));
    expect((await withStore(database, (store) => discover(roots, store), 'readers changed')).handles).toEqual([]);
  });

  it('should serve discoverInputs from the memo of the store it is given, and read again with reuseCache false', async () => {
    const { home, notASession } = piHome();
    const database = join(home, 'state.sqlite');
    const selection = { readers: [piFamilySource], env: {}, homeDirectory: home };
    const first = await withStore(database, (store) => discoverInputs(selection, { store }));
    expect(first.warnings.some((warning) => warning.file === notASession)).toBe(true);
    const flavors = first.files.map((file) => [file.path, file.source]);
    expect(new Set(flavors.map(([, source]) => source))).toEqual(new Set(['pi', 'pir', 'omp']));
    for (const path of sessionFiles(home)) rewriteUnchangedStats(path, ' '.repeat(statSync(path).size));
    const again = await withStore(database, (store) => discoverInputs(selection, { store }));
    expect(again).toEqual(first);
    const full = await withStore(database, (store) => discoverInputs(selection, { store, reuseCache: false }));
    expect(full.files).toEqual([]);
  });
});
