import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from './process-alive.js';

describe('isProcessAlive', () => {
  it('should tell a running process from one that ended', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const ended = spawnSync(process.execPath, ['-e', '0']);
    expect(ended.pid).toBeGreaterThan(0);
    expect(isProcessAlive(ended.pid)).toBe(false);
  });
});
