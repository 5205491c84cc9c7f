import { describe, expect, it } from 'vitest';
import { WarningLog } from './warning-log.js';

describe('WarningLog', () => {
  it('should keep warnings in the order found and count repeats of a key once, first line kept', () => {
    const log = new WarningLog('/s/a.jsonl');
    log.add('invalid-json', 'bad line', 3);
    for (const line of [5, 9, 12]) log.addCounted('unknown-entry-type', 'frobnicate', 'unknown entry type "frobnicate"', line);
    log.addCounted('unknown-entry-type', 'other', 'unknown entry type "other"', 20);
    log.add('empty-file', 'no lines');
    expect(log.size).toBe(4);
    expect(log.list()).toEqual([
      { file: '/s/a.jsonl', kind: 'invalid-json', message: 'bad line', line: 3 },
      { file: '/s/a.jsonl', kind: 'unknown-entry-type', message: 'unknown entry type "frobnicate"', line: 5, count: 3 },
      { file: '/s/a.jsonl', kind: 'unknown-entry-type', message: 'unknown entry type "other"', line: 20, count: 1 },
      { file: '/s/a.jsonl', kind: 'empty-file', message: 'no lines' },
    ]);
  });

  it('should drop the kinds it was told another pass reports, and hand out copies', () => {
    const log = new WarningLog('/s/a.jsonl', { ignore: ['unknown-role'] });
    log.addCounted('unknown-role', 'robot', 'unknown role', 4);
    log.add('cycle', 'loop', 7);
    const listed = log.list();
    listed[0]!.message = 'changed';
    expect(log.list()).toEqual([{ file: '/s/a.jsonl', kind: 'cycle', message: 'loop', line: 7 }]);
  });
});
