import { createDatasetBuilder, loadTokenizerJsonCounter, resolveFormats, type DatasetBuilder, type FormatName } from '@forge/transform';
import { ForgeError, toForgeError } from '@forge/schema';

export interface BuildDatasetOptions {
  formats: FormatName[];
  keepNoise: boolean;
  validationRatio: number;
  maxTokens: number;
  overLength: 'split' | 'drop';
  tokenizer: string | undefined;
  homeDirectory: string;
  /** Where emitted rows wait for `finish()`, so memory holds only hashes and offsets. */
  spillDirectory: string;
}

/** Parses `--format sharegpt,openai` (default: all) against the format registry. */
export function parseFormats(value: string | readonly string[] | undefined): FormatName[] {
  const names = value == null ? undefined : (typeof value === 'string' ? value.split(',') : value).map((name) => name.trim()).filter((name) => name !== '');
  try {
    return resolveFormats(names).map((format) => format.name as FormatName);
  } catch (error) {
    const problem = toForgeError(error);
    throw new ForgeError({ message: problem.message, code: 'usage', cause: error });
  }
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
    redaction: { homeDirectory: options.homeDirectory },
    spillDirectory: options.spillDirectory,
  });
}

