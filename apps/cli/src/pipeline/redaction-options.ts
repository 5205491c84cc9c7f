import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { type DatasetManifest } from '@forge/schema';
import { createRedactor, resolveRedactionConfig, type RedactionOptions } from '@forge/transform';
import { type ForgeConfig } from './load-config.js';

/**
 * The redactor's options from forge.config.json's `redaction` block (paths relative to the config
 * file, variables from the environment), and a digest of them for the run signature: a changed
 * literal value must rebuild the dataset, yet no value may be written anywhere.
 */
export function redactionOptions(config: ForgeConfig, configPath: string | undefined, env: NodeJS.ProcessEnv, cwd: string): { options: RedactionOptions; digest: string | undefined } {
  if (config.redaction == null) return { options: {}, digest: undefined };
  const options = resolveRedactionConfig(config.redaction, { baseDirectory: configPath == null ? cwd : dirname(configPath), env, ...(configPath == null ? {} : { configFile: configPath }) });
  const digest = createHash('sha256')
    .update(JSON.stringify({ config: config.redaction, values: options.literalValues ?? [] }))
    .digest('hex');
  return { options, digest };
}

/** Replaces every string of a JSON value through `visit`, keys kept. */
function mapStrings(value: unknown, visit: (text: string) => string): unknown {
  if (typeof value === 'string') return visit(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, visit));
  if (value != null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mapStrings(child, visit)]));
  return value;
}

/**
 * The manifest with its free text redacted like the rows: input paths name the user
 * (`~/.claude/projects/-home-alice-…`), options hold paths, skip reasons quote what was read.
 */
export async function redactManifest(manifest: DatasetManifest, options: RedactionOptions): Promise<DatasetManifest> {
  const parts = { options: manifest.options, paths: manifest.inputs.map((input) => input.path), skipped: manifest.skipped.map((item) => [item.ref, item.reason]) };
  const texts: string[] = [];
  mapStrings(parts, (text) => {
    texts.push(text);
    return text;
  });
  const { texts: redacted } = await createRedactor(options).redactTexts(texts);
  let next = 0;
  const result = mapStrings(parts, () => redacted[next++]!) as typeof parts;
  return {
    ...manifest,
    options: result.options,
    inputs: manifest.inputs.map((input, index) => ({ ...input, path: result.paths[index]! })),
    skipped: manifest.skipped.map((item, index) => ({ ...item, ref: result.skipped[index]![0]!, reason: result.skipped[index]![1]! })),
  };
}
