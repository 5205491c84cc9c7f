import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what its last full collection kept, in percent, during a run.
 * A run's threads keep each session's objects for as long as the session is handled, so most of
 * them outlive the young generation and die in the old one; V8's own factor (up to 4× when
 * collection is fast) then lets every thread carry ~100 MB of dead sessions between full
 * collections. 2× keeps the bench's 1 GB corpus under 600 MB peak RSS at about the same speed
 * (apps/cli/README.md, "Benchmark").
 */
export const RUN_HEAP_GROWING_PERCENT = 100;

/**
 * Sets {@link RUN_HEAP_GROWING_PERCENT} for this process, unless node was started with its own
 * `--heap-growing-percent`. V8 flags are process-wide and read at each collection: the worker
 * threads a run starts afterwards grow the same way.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag))) return;
  setFlagsFromString(`--heap-growing-percent=${RUN_HEAP_GROWING_PERCENT}`);
}
