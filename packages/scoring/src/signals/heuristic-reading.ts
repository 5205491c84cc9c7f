import { type ScoreSignal } from '@forge/schema';

/** What one heuristic found: its value, its score in [0, 1] (null: does not apply) and why. */
export type HeuristicReading = Pick<ScoreSignal, 'value' | 'score' | 'reason'>;

/** Clamps to [0, 1] and rounds to 4 decimals, so that scores are stable across platforms. */
export function unitScore(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`;
}
