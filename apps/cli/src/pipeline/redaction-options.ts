import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { resolveRedactionConfig, type RedactionOptions } from '@forge/transform';
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
