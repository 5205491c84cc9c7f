import { describe, expect, it } from 'vitest';
import { GrowableTypedArray } from './growable-typed-array.js';

describe('GrowableTypedArray', () => {
  it('should keep every pushed value across growth, by the factor asked for', () => {
    const column = new GrowableTypedArray((length) => new Int32Array(length), { initialLength: 4, growth: 1.5 });
    for (let value = 0; value < 1000; value += 1) column.push(value * 3);
    expect(column.length).toBe(1000);
    expect(column.get(999)).toBe(2997);
    expect(Array.from(column.view().subarray(0, 4))).toEqual([0, 3, 6, 9]);
    column.set(0, -1);
    expect(column.data[0]).toBe(-1);
  });

  it('should reserve room for columns filled by index', () => {
    const column = new GrowableTypedArray((length) => new Float64Array(length), { initialLength: 2 });
    column.reserve(10);
    expect(column.data.length).toBeGreaterThanOrEqual(10);
    column.set(9, 2 ** 40);
    expect(column.get(9)).toBe(2 ** 40);
  });
});
