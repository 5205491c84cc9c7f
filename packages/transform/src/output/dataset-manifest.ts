import { parseDatasetManifest, type DatasetManifest, type SessionSource } from '@forge/schema';
import { type BuiltDataset } from '../merge/dataset-merger.js';

/** What the caller of a dataset build knows that the build does not: the run's version, options and inputs. */
export interface DatasetRunFacts {
  /** The version of the program that built the dataset. */
  forgeVersion: string;
  /** The options in force, after defaults and config files. */
  options: Record<string, unknown>;
  /** Every input file read, with a fingerprint of its content. */
  inputs: ReadonlyArray<{ path: string; source: SessionSource; size: number; fingerprint: string }>;
  /** Input files that gave no session, with why. */
  skippedFiles: ReadonlyArray<{ path: string; reason: string }>;
  /** Warnings of the read (bad lines, files that gave nothing). */
  warnings: number;
  /** The sessions' scores summarized, when the caller scored them (its paths are redacted like the rest). */
  scoring?: DatasetManifest['scoring'];
}

/** Calls `replace` for every string in a JSON value (not keys), in a fixed order, and builds the value again. */
function mapStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, replace));
  if (value != null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, replace)]));
  return value;
}

/**
 * The dataset's manifest: the build's counts, tokens, redactions, skipped items and formats, with
 * the run's facts. Its free text (option values, input paths, what was skipped and why) goes
 * through the dataset's redaction rules like the rows, so the home folder reads `~` and nothing a
 * rule knows leaves in a path or a reason; validated against the manifest schema.
 */
export async function createDatasetManifest(dataset: BuiltDataset, run: DatasetRunFacts): Promise<DatasetManifest> {
  const added = {
    options: run.options,
    inputs: run.inputs.map((input) => input.path),
    skipped: [...run.skippedFiles.map(({ path, reason }) => ({ kind: 'file' as const, ref: path, reason })), ...dataset.manifest.skipped],
    scoring: run.scoring,
  };
  const texts: string[] = [];
  mapStrings(added, (text) => {
    texts.push(text);
    return text;
  });
  const redacted = await dataset.redactTexts(texts);
  let next = 0;
  const scrubbed = mapStrings(added, () => redacted[next++]!) as typeof added;
  return parseDatasetManifest({
    manifestVersion: 1,
    forgeVersion: run.forgeVersion,
    options: scrubbed.options,
    inputs: run.inputs.map(({ source, size, fingerprint }, index) => ({ path: scrubbed.inputs[index]!, source, size, fingerprint })),
    ...dataset.manifest,
    skipped: scrubbed.skipped,
    warnings: run.warnings,
    ...(scrubbed.scoring == null ? {} : { scoring: scrubbed.scoring }),
  });
}
