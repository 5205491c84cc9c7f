import { describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool.js';

const inFlightWorker = new URL('./test-support/in-flight-worker.ts', import.meta.url).href;

/** What two tasks handed at once to a one-thread pool saw: the tasks their thread was running when each started. */
async function twoTasks(tasksPerThread?: number): Promise<number[]> {
  const pool = new WorkerPool<number, number>(inFlightWorker, 1, tasksPerThread == null ? {} : { tasksPerThread });
  try {
    // Long enough that the second task reaches the thread while the first waits.
    return await Promise.all([pool.run(500), pool.run(500)]);
  } finally {
    await pool.close();
  }
}

describe('WorkerPool', () => {
  it('should hand a thread one task at a time by default', async () => {
    expect(await twoTasks()).toEqual([1, 1]);
  });

  it('should hand a thread its next task while it runs one with tasksPerThread 2', async () => {
    expect(await twoTasks(2)).toEqual([1, 2]);
  });
});
