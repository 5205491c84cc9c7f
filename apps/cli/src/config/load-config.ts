import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ForgeError } from '@forge/schema';
import { redactionConfigSchema } from '@forge/transform';
import { runOptionRules } from '../run/run-options.js';
import { sourceNames } from '../sources/source-registry.js';

/** `forge.config.json`: defaults for `forge run`, by the same rules as its flags; command-line flags win. */
export const forgeConfigSchema = z
  .object({
    sources: runOptionRules.sources.optional(),
    roots: runOptionRules.roots.optional(),
    out: runOptionRules.out.optional(),
    formats: runOptionRules.formats.optional(),
    parquetShardMb: runOptionRules.parquetShardMb.optional(),
    keepNoise: runOptionRules.keepNoise.optional(),
    validationRatio: runOptionRules.validationRatio.optional(),
    maxTokens: runOptionRules.maxTokens.optional(),
    overLength: runOptionRules.overLength.optional(),
    tokenizer: runOptionRules.tokenizer.optional(),
    cacheDir: runOptionRules.cacheDir.optional(),
    minScore: runOptionRules.minScore.optional(),
    beadsDirs: runOptionRules.beadsDirs.optional(),
    gitDirs: runOptionRules.gitDirs.optional(),
    minMargin: runOptionRules.minMargin.optional(),
    pairBy: runOptionRules.pairBy.optional(),
    /** Weights, tiers, the review threshold of the session score: @forge/scoring's README. */
    scoring: runOptionRules.scoring.optional(),
    systemPrompt: runOptionRules.systemPrompt.optional(),
    /** Extra patterns, literal values (from a file or an environment variable), allowlist: see @forge/transform's README. */
    redaction: redactionConfigSchema.optional(),
  })
  .strict();
export type ForgeConfig = z.infer<typeof forgeConfigSchema>;

/** Reads the config file named, or `forge.config.json` in the working folder when it exists. */
export function loadConfig(cwd: string, explicitPath: string | undefined): { config: ForgeConfig; path: string | undefined } {
  const path = explicitPath == null ? resolve(cwd, 'forge.config.json') : resolve(cwd, explicitPath);
  if (!existsSync(path)) {
    if (explicitPath != null) throw new ForgeError({ message: `config file not found: ${path}`, code: 'usage', hint: 'check the --config path' });
    return { config: {}, path: undefined };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ForgeError({ message: `config file is not valid JSON: ${(error as Error).message}`, code: 'usage', location: { file: path }, cause: error });
  }
  const result = forgeConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new ForgeError({ message: `invalid config: ${problems}`, code: 'usage', location: { file: path }, hint: 'see `forge run --help` for the keys' });
  }
  // Relative folders in the config are relative to the config file.
  const base = resolve(path, '..');
  const config = result.data;
  const named = new RegExp(`^(?:${sourceNames.join('|')})=`, 'u');
  if (config.roots != null) config.roots = config.roots.map((root) => (named.test(root) ? root : resolve(base, root)));
  if (config.out != null) config.out = resolve(base, config.out);
  if (config.tokenizer != null) config.tokenizer = resolve(base, config.tokenizer);
  if (config.cacheDir != null) config.cacheDir = resolve(base, config.cacheDir);
  if (config.beadsDirs != null) config.beadsDirs = config.beadsDirs.map((dir) => resolve(base, dir));
  if (config.gitDirs != null) config.gitDirs = config.gitDirs.map((dir) => resolve(base, dir));
  return { config, path };
}
