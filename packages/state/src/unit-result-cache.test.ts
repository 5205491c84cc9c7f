import { appendFileSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintFileSync } from './fingerprint-file.js';
import { StateStore } from './state-store.js';
import { type UnitCacheEntry } from './unit-result-cache.js';

/** An input file of `text`, with its stats and fingerprint as a unit's entry keeps them. */
function inputFile(folder: string, name: string, text: string) {
  const path = join(folder, name);
  writeFileSync(path, text);
  return { path, source: 'pi' as const, size: Buffer.byteLength(text), mtimeMs: 1_000, fingerprint: fingerprintFileSync(path, Buffer.byteLength(text)) };
}

describe('UnitResultCache', () => {
  it('should serve a unit only with the same key and files, and keep a moved mtime whose content is the same', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'forge-units-'));
    const store = await StateStore.open(join(folder, 'state.sqlite'), { cacheVersion: '1' });
    const file = inputFile(folder, 'a.jsonl', '{"type":"session"}\n');
    utimesSync(file.path, 1, 1);
    // A block: 5 bytes of rows, then 3 of views and a record of 4.
    appendFileSync(join(store.units.directory, 'segment-1'), 'ROWS!vvvREC!');
    store.units.record({ id: 'u', source: 'pi', key: 'k', files: [file], segment: 'segment-1', start: 0, length: 12, tail: 5, recordLength: 4 });
    store.units.commit(new Set(['pi']), new Set(['u']));
    const hit = store.units.lookup('u', 'k', [file]);
    expect(hit.kind).toBe('hit');
    expect(hit.kind === 'hit' && hit.bytes.toString()).toBe('vvvREC!');
    expect(store.units.lookup('u', 'other key', [file]).kind).toBe('miss');
    expect(store.units.lookup('u', 'k', [{ ...file, size: file.size + 1 }]).kind).toBe('changed');
    expect(store.units.lookup('u', 'k', [file, { ...file, path: join(folder, 'b.jsonl') }]).kind).toBe('changed');
    // Touched, same content: served, and the new mtime kept; new content of the same size: changed.
    expect(store.units.lookup('u', 'k', [{ ...file, mtimeMs: 2_000 }]).kind).toBe('hit');
    store.units.commit(new Set(['pi']), new Set(['u']));
    const touched = store.units.lookup('u', 'k', [{ ...file, mtimeMs: 2_000 }]);
    expect(touched.kind === 'hit' && touched.entry.files[0]!.mtimeMs).toBe(2_000);
    writeFileSync(file.path, '{"type":"sessioN"}\n');
    expect(store.units.lookup('u', 'k', [{ ...file, mtimeMs: 3_000 }]).kind).toBe('changed');
    store.close();
  });

  it('should drop the entries of units gone, delete the segments nothing references and compact the mostly dead ones', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'forge-units-'));
    const store = await StateStore.open(join(folder, 'state.sqlite'), { cacheVersion: '1' });
    const directory = store.units.directory;
    const file = inputFile(folder, 'a.jsonl', 'x\n');
    // Segment 1: four blocks of 10 bytes; segment 2: one block; an orphan of an interrupted run.
    appendFileSync(join(directory, 'segment-1'), 'AAAAAaaaaaBBBBBbbbbbCCCCCcccccDDDDDddddd');
    appendFileSync(join(directory, 'segment-2'), 'EEEEEeeeee');
    appendFileSync(join(directory, 'orphan'), 'partial');
    const entry = (id: string, segment: string, start: number): UnitCacheEntry => ({ id, source: 'pi', key: 'k', files: [{ ...file, path: `${file.path}-${id}` }], segment, start, length: 10, tail: 5, recordLength: 5 });
    for (const [id, segment, start] of [['a', 'segment-1', 0], ['b', 'segment-1', 10], ['c', 'segment-1', 20], ['d', 'segment-1', 30], ['e', 'segment-2', 0]] as const) store.units.record(entry(id, segment, start));
    // Units of another source are never pruned by a run that did not look at it.
    store.units.record({ ...entry('z', 'segment-2', 0), source: 'claude-code' });
    expect(store.units.commit(new Set(['pi']), new Set(['a', 'b', 'c', 'd', 'e']))).toEqual({ entries: 2, deleted: 1, compacted: 0 });
    expect(readdirSync(directory).sort()).toEqual(['segment-1', 'segment-2']);
    // b, c and d are gone: segment 1 is a quarter live and is compacted; segment 2 loses e but z keeps it.
    const result = store.units.commit(new Set(['pi']), new Set(['a']));
    expect(result).toEqual({ entries: 2, deleted: 0, compacted: 1 });
    const files = readdirSync(directory).sort();
    expect(files).toHaveLength(2);
    const compacted = files.find((name) => name.startsWith('compacted-'))!;
    expect(readFileSync(join(directory, compacted), 'utf8')).toBe('AAAAAaaaaa');
    const hit = store.units.lookup('a', 'k', [{ ...file, path: `${file.path}-a`, mtimeMs: 1_000 }]);
    expect(hit.kind === 'hit' && { segment: hit.entry.segment, start: hit.entry.start, bytes: hit.bytes.toString() }).toEqual({ segment: compacted, start: 0, bytes: 'aaaaa' });
    // z's source is looked at now and z is gone: segment 2 is deleted.
    expect(store.units.commit(new Set(['pi', 'claude-code']), new Set(['a']))).toEqual({ entries: 1, deleted: 1, compacted: 0 });
    expect(readdirSync(directory)).toEqual([compacted]);
    store.close();
  });
});
