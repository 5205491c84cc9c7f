import { ForgeError } from '@forge/schema';
import { describe, expect, it } from 'vitest';
import { ReaderPool } from './reader-pool.js';
import { ReaderPoolError } from './reader-pool-error.js';
import { type SessionSourceReader } from './session-source.js';

// A reader the worker must import from its location: that module has no such export, so the
// worker's failure is what is tested (the readers' own tests read real files through the pool).
const missingReader = {
  name: 'missing',
  location: { url: new URL('./head-records.ts', import.meta.url).href, exportName: 'noSuchReader' },
} as unknown as SessionSourceReader;

describe('ReaderPool', () => {
  it('should turn a worker failure into a ReaderPoolError naming the file, with its own marker', async () => {
    const pool = new ReaderPool(1);
    try {
      const error = await pool.read(missingReader, { path: '/x.jsonl', source: 'pi', size: 1, mtimeMs: 1 }, {}).catch((caught: unknown) => caught);
      expect(ReaderPoolError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'reader-worker-failed', location: { file: '/x.jsonl' } });
      expect((error as Error).message).toContain('exports no reader named noSuchReader');
      expect(ReaderPoolError.isInstance(new ForgeError({ message: 'x' }))).toBe(false);
    } finally {
      await pool.close();
    }
  });
});
