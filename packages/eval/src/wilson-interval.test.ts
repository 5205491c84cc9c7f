import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson-interval.js';

describe('wilsonInterval', () => {
  it('should give the textbook Wilson 95% bounds', () => {
    // 1 of 1: low = 1 / (1 + z²); 0 of 2: high = z² / (2 + z²).
    expect(wilsonInterval(1, 1)!.low).toBeCloseTo(1 / (1 + 1.959964 ** 2), 10);
    expect(wilsonInterval(0, 2)!.high).toBeCloseTo(1.959964 ** 2 / (2 + 1.959964 ** 2), 10);
    // 8 of 10 (a common worked example): 0.4902 to 0.9433.
    const interval = wilsonInterval(8, 10)!;
    expect(interval.low).toBeCloseTo(0.4902, 4);
    expect(interval.high).toBeCloseTo(0.9433, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});
