import { type GasTownRole } from '@forge/schema';
import { SynthError } from './synth-error.js';

/** The Gas Town roles synth has templates for (boot is a special dog; the overseer is the human). */
export const synthRoles = ['mayor', 'deacon', 'witness', 'refinery', 'polecat', 'crew', 'dog'] as const satisfies readonly GasTownRole[];
export type SynthRole = (typeof synthRoles)[number];

/** The programs synth drives in print mode; all three write the pi-family session format. */
export const synthHarnesses = ['pi', 'omp', 'pir'] as const;
export type SynthHarness = (typeof synthHarnesses)[number];

/** `--thinking` levels every harness accepts (omp and pir also know `max`, omp `auto`). */
export const thinkingLevels = ['off', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ThinkingLevel = (typeof thinkingLevels)[number];

/** Checks a value against a list of allowed ones; a SynthError `usage` names them otherwise. */
export function oneOf<TValue extends string>(value: string, allowed: readonly TValue[], what: string): TValue {
  if ((allowed as readonly string[]).includes(value)) return value as TValue;
  throw new SynthError({ message: `unknown ${what} ${JSON.stringify(value)}`, code: 'usage', hint: `use one of ${allowed.join(', ')}` });
}

/** Splits a comma-separated option (`witness,polecat`) into its non-empty parts. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
