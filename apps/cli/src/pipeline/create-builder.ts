import { createDatasetBuilder, emittedFormats, loadTokenizerJsonCounter, type DatasetBuilder, type EmittedFormat, type RedactionOptions } from '@forge/transform';
import { ForgeError } from '@forge/schema';

export interface BuildDatasetOptions {
  formats: EmittedFormat[];
  keepNoise: boolean;
  validationRatio: number;
  maxTokens: number;
  overLength: 'split' | 'drop';
  tokenizer: string | undefined;
  homeDirectory: string;
  /** The redaction block of forge.config.json, resolved (patterns, literal values, allowlist). */
  redaction?: RedactionOptions;
  /** Where emitted rows wait for `finish()`, so memory holds only hashes and offsets. */
  spillDirectory: string;
}

/** Parses `--format sharegpt,openai` (default: all). */
export function parseFormats(value: string | readonly string[] | undefined): EmittedFormat[] {
  if (value == null) return [...emittedFormats];
  const names = (typeof value === 'string' ? value.split(',') : value).map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(emittedFormats as readonly string[]).includes(name));
  if (unknown.length > 0) throw new ForgeError({ message: `unknown format ${unknown.join(', ')}`, code: 'usage', hint: `choose from ${emittedFormats.join(', ')}` });
  return names as EmittedFormat[];
}

/** A @forge/transform dataset builder with the run's options; sessions are added as they are read. */
export async function createBuilder(options: BuildDatasetOptions): Promise<DatasetBuilder> {
  const tokenCounter = options.tokenizer == null ? undefined : await loadTokenizerJsonCounter({ tokenizerJsonPath: options.tokenizer });
  return createDatasetBuilder({
    formats: options.formats,
    noise: options.keepNoise ? 'keep' : 'drop',
    validationRatio: options.validationRatio,
    tokens: { budget: options.maxTokens, overBudget: options.overLength },
    ...(tokenCounter == null ? {} : { tokenCounter }),
    // The user name to redact is the redactor's default: this machine's user.
    redaction: { ...options.redaction, homeDirectory: options.homeDirectory },
    spillDirectory: options.spillDirectory,
  });
}

