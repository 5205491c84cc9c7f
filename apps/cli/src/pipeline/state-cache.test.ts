import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Session } from '@forge/schema';
import { StateCache } from './state-cache.js';

const session = { id: 's1', source: 'pi', messages: [] } as unknown as Session;

describe('StateCache', () => {
  it('should keep what a file produced across reopenings of the SQLite file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'forge-cache-')), 'state.sqlite');
    const cache = new StateCache(path, '1.0.0');
    cache.store({ path: '/s/a.jsonl', size: 10, mtimeMs: 5, fingerprint: 'f' }, { sessions: [session], fileWarnings: [] });
    cache.close();
    const reopened = new StateCache(path, '1.0.0');
    const row = reopened.lookup('/s/a.jsonl');
    expect(row).toMatchObject({ size: 10, mtimeMs: 5, fingerprint: 'f' });
    expect(row?.load().sessions).toEqual([session]);
    reopened.touch('/s/a.jsonl', 9);
    expect(reopened.lookup('/s/a.jsonl')?.mtimeMs).toBe(9);
    expect(reopened.prune(new Set())).toBe(1);
    expect(reopened.lookup('/s/a.jsonl')).toBeUndefined();
    reopened.close();
  });

  it('should drop every row when the reader version changes', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'forge-cache-')), 'state.sqlite');
    const cache = new StateCache(path, '1.0.0');
    cache.store({ path: '/s/a.jsonl', size: 10, mtimeMs: 5, fingerprint: 'f' }, { sessions: [session], fileWarnings: [] });
    cache.close();
    const upgraded = new StateCache(path, '1.1.0');
    expect(upgraded.lookup('/s/a.jsonl')).toBeUndefined();
    upgraded.close();
  });
});
