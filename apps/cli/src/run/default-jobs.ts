import { availableParallelism } from 'node:os';

/** Inputs smaller than this are handled on one thread by default: starting worker threads would take longer than the work. */
const smallInputBytes = 16 * 1024 * 1024;

/** The threads `--jobs` defaults to for `inputBytes` of input: the available cores, or 1 for a small input. */
export function defaultJobs(inputBytes: number): number {
  return inputBytes < smallInputBytes ? 1 : availableParallelism();
}
