import { dirname } from 'node:path';
import { resolveRedactionConfig, type RedactionOptions } from '@forge/transform';
import { type ForgeConfig } from './load-config.js';

/**
 * The redactor's options from forge.config.json's `redaction` block: paths relative to the config
 * file, variables from the environment. Read before anything else, so a bad block or an unset
 * variable stops the run before a file is read.
 */
export function redactionOptions(config: ForgeConfig, configPath: string | undefined, env: NodeJS.ProcessEnv, cwd: string): RedactionOptions | undefined {
  if (config.redaction == null) return undefined;
  return resolveRedactionConfig(config.redaction, { baseDirectory: configPath == null ? cwd : dirname(configPath), env, ...(configPath == null ? {} : { configFile: configPath }) });
}
