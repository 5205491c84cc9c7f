import { InvalidArgumentError } from 'commander';
import { type z } from 'zod';
import { ruleProblem } from '../run/run-options.js';

/** `a,b, c` → `['a', 'b', 'c']`. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/iu;

/**
 * A commander argument parser for a numeric flag: the text must be a plain decimal number and the
 * number must pass the option's rule; otherwise commander reports the flag, the value and why, and
 * forge exits with 2.
 */
export function numberFlag(rule: z.ZodType): (value: string) => number {
  return (value) => {
    const number = decimal.test(value.trim()) ? Number(value) : Number.NaN;
    const problem = Number.isNaN(number) ? `${JSON.stringify(value)} is not a number` : ruleProblem(rule, number);
    if (problem != null) throw new InvalidArgumentError(`${problem}.`);
    return number;
  };
}
