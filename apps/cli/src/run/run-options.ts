import { z } from 'zod';
import { formatNames, pairByChoices } from '@forge/transform';
import { ForgeError, scoringConfigSchema } from '@forge/schema';
import { sourceNames } from '../sources/source-registry.js';

/** What `--format` takes: the registered formats, and `parquet` (Parquet shards of every row format asked for, beside the JSONL). */
export const formatChoices = [...formatNames, 'parquet'] as const;

/**
 * The rule of every option of `forge run`, in one place: the command-line flags, forge.config.json
 * and `runForge()` all check their values against these.
 */
export const runOptionRules = {
  // Source names in any case, as `--source Claude` always worked.
  sources: z
    .array(z.preprocess((name) => (typeof name === 'string' ? name.toLowerCase() : name), z.enum(sourceNames, { error: `a source: one of ${sourceNames.join(', ')}` })))
    .min(1, { error: `a list of sources: one or more of ${sourceNames.join(', ')}` }),
  roots: z.array(z.string().min(1, { error: 'a folder' })),
  out: z.string().min(1, { error: 'a folder' }),
  formats: z.array(z.enum(formatChoices, { error: `a format: one of ${formatChoices.join(', ')}` })).min(1, { error: `a list of formats: one or more of ${formatChoices.join(', ')}` }),
  parquetShardMb: z.number({ error: 'a number' }).positive({ error: 'a positive number of megabytes' }),
  shard: z
    .string()
    .regex(/^[1-9]\d*\/[1-9]\d*$/u, { error: 'a shard: i/n, e.g. 2/4' })
    .refine((value) => Number(value.split('/')[0]) <= Number(value.split('/')[1]), { error: 'a shard: i/n with i from 1 to n' }),
  keepNoise: z.boolean(),
  systemPrompt: z.string().min(1, { error: 'keep, drop or a text file' }),
  validationRatio: z.number({ error: 'a number' }).min(0, { error: 'a share between 0 and 1' }).max(1, { error: 'a share between 0 and 1' }),
  maxTokens: z.number({ error: 'a number' }).int({ error: 'a whole number of tokens' }).positive({ error: 'a positive number of tokens' }),
  overLength: z.enum(['split', 'drop'], { error: 'split or drop' }),
  tokenizer: z.string().min(1, { error: 'a tokenizer.json file' }),
  cacheDir: z.string().min(1, { error: 'a folder' }),
  full: z.boolean(),
  demo: z.boolean(),
  score: z.boolean(),
  minScore: z.number({ error: 'a number' }).min(0, { error: 'a score between 0 and 1' }).max(1, { error: 'a score between 0 and 1' }),
  beadsDirs: z.array(z.string().min(1, { error: 'a folder' })),
  gitDirs: z.array(z.string().min(1, { error: 'a folder' })),
  scoring: scoringConfigSchema,
  jobs: z.number({ error: 'a number' }).int({ error: 'a whole number of threads' }).positive({ error: 'a positive number of threads' }),
  minMargin: z.number({ error: 'a number' }).min(0, { error: 'a score difference between 0 and 1' }).max(1, { error: 'a score difference between 0 and 1' }),
  pairBy: z.array(z.enum(pairByChoices, { error: `a pair kind: one of ${pairByChoices.join(', ')}` })).min(1, { error: `a list of pair kinds: one or more of ${pairByChoices.join(', ')}` }),
} as const;

/** What over-budget rows become: `split` into windows at turn boundaries, or `drop`ped. */
export type OverLength = z.infer<typeof runOptionRules.overLength>;

/** What is wrong with `value` under `rule` (`"abc" is not a number`), or undefined when it is fine. */
export function ruleProblem(rule: z.ZodType, value: unknown): string | undefined {
  const result = rule.safeParse(value);
  if (result.success) return undefined;
  return result.error.issues
    .map((issue) => {
      const item = issue.path.reduce<unknown>((parent, key) => (parent as Record<PropertyKey, unknown>)[key], value);
      return `${JSON.stringify(item)} is not ${issue.message}`;
    })
    .join('; ');
}

/** Checks `runForge()` options against the rules; a wrong one is a `usage` error naming it. */
export function checkRunOptions(options: Partial<Record<keyof typeof runOptionRules, unknown>>): void {
  for (const [key, rule] of Object.entries(runOptionRules) as Array<[keyof typeof runOptionRules, z.ZodType]>) {
    const value = options[key];
    if (value === undefined) continue;
    const problem = ruleProblem(rule, value);
    if (problem != null) throw new ForgeError({ message: `invalid option ${key}: ${problem}`, code: 'usage' });
  }
}
