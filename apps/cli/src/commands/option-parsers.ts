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

/**
 * A commander argument parser for a comma-separated list flag whose items must pass the option's
 * rule; otherwise commander reports the flag, the value and why, and forge exits with 2.
 */
export function listFlag<T extends string>(rule: z.ZodType<T[]>): (value: string) => T[] {
  return (value) => {
    const items = splitList(value);
    const problem = ruleProblem(rule, items);
    if (problem != null) throw new InvalidArgumentError(`${problem}.`);
    return items as T[];
  };
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
