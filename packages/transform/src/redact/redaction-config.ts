import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { RedactionError } from './redaction-error.js';
import { type RedactionOptions } from './redactor.js';

const ruleName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'a rule name: lower-case letters, digits and dashes');
const regexFlags = z.string().regex(/^[imsu]*$/, 'flags from i, m, s, u').optional();

/**
 * The `redaction` block of forge.config.json. Secret values themselves never go into the config
 * file: `literalValues` names a file (one value per line) or an environment variable holding them.
 */
export const redactionConfigSchema = z
  .object({
    /** More patterns to redact, each counted under its name: `{ "name": "ticket", "pattern": "ACME-[0-9]{6}" }`. */
    extraPatterns: z.array(z.object({ name: ruleName, pattern: z.string().min(1), flags: regexFlags }).strict()).optional(),
    /** Values always redacted (and their encoded forms), read from a file (one per line, `#` comments) or an environment variable (one per line). */
    literalValues: z.array(z.union([z.object({ file: z.string().min(1) }).strict(), z.object({ env: z.string().min(1) }).strict()])).optional(),
    /** Text that is never redacted: an exact string, or `{ "pattern": … }` matching a whole finding. */
    allowlist: z.array(z.union([z.string().min(1), z.object({ pattern: z.string().min(1), flags: regexFlags }).strict()])).optional(),
    /** Redact e-mail addresses (default true). */
    emails: z.boolean().optional(),
    /** Redact phone numbers (default true). */
    phoneNumbers: z.boolean().optional(),
    /** Redact payment card numbers (default true). */
    paymentCards: z.boolean().optional(),
  })
  .strict();
export type RedactionConfig = z.infer<typeof redactionConfigSchema>;

/** The shortest literal value accepted: shorter ones would wreck ordinary text. */
const shortestLiteralValue = 4;

/** Where relative paths are resolved and environment variables read. */
export interface ResolveRedactionConfigContext {
  /** The folder of the config file. */
  baseDirectory: string;
  env: NodeJS.ProcessEnv;
  /** The config file, for error locations. */
  configFile?: string;
}

function compile(pattern: string, flags: string | undefined, what: string, context: ResolveRedactionConfigContext): RegExp {
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, flags ?? '');
  } catch (error) {
    throw configError(`${what} is not a valid regular expression: ${(error as Error).message}`, context, error);
  }
  if (compiled.test('')) throw configError(`${what} matches the empty string`, context);
  return compiled;
}

function configError(message: string, context: ResolveRedactionConfigContext, cause?: unknown, location?: { file: string; line?: number }): RedactionError {
  const where = location ?? (context.configFile == null ? undefined : { file: context.configFile });
  return new RedactionError({ message, code: 'redaction-config', ...(where == null ? {} : { location: where }), hint: 'fix the "redaction" block of forge.config.json', cause });
}

function literalLines(text: string, file: string | undefined, describe: (line: number) => string, context: ResolveRedactionConfigContext): string[] {
  const values: string[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const value = raw.trim();
    if (value === '' || (file != null && value.startsWith('#'))) continue;
    // Never quote the value: say where it is and how long it is.
    if (value.length < shortestLiteralValue) {
      throw configError(`${describe(index + 1)} holds a value of ${value.length} characters; literal values need at least ${shortestLiteralValue}`, context, undefined, file == null ? undefined : { file, line: index + 1 });
    }
    values.push(value);
  }
  return values;
}

/** Turns the config block into redactor options: patterns compiled, literal values read. Throws a {@link RedactionError} naming what is wrong, never a value. */
export function resolveRedactionConfig(config: RedactionConfig, context: ResolveRedactionConfigContext): RedactionOptions {
  const options: RedactionOptions = {};
  if (config.emails != null) options.emails = config.emails;
  if (config.phoneNumbers != null) options.phoneNumbers = config.phoneNumbers;
  if (config.paymentCards != null) options.paymentCards = config.paymentCards;
  if (config.extraPatterns != null) {
    options.extraPatterns = config.extraPatterns.map(({ name, pattern, flags }) => ({ name, pattern: compile(pattern, flags, `extra pattern "${name}"`, context) }));
  }
  if (config.allowlist != null) {
    options.allowlist = config.allowlist.map((entry, index) => (typeof entry === 'string' ? entry : compile(entry.pattern, entry.flags, `allowlist pattern #${index + 1}`, context)));
  }
  if (config.literalValues != null) {
    const values: string[] = [];
    for (const source of config.literalValues) {
      if ('file' in source) {
        const file = resolve(context.baseDirectory, source.file);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          throw configError(`cannot read the literal values file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, context, error);
        }
        values.push(...literalLines(text, file, (line) => `line ${line}`, context));
      } else {
        const text = context.env[source.env];
        // Fail closed: values the user wants redacted but that cannot be read would otherwise leak.
        if (text == null || text.trim() === '') throw configError(`the environment variable ${source.env} named in literalValues is not set`, context);
        values.push(...literalLines(text, undefined, (line) => `line ${line} of the environment variable ${source.env}`, context));
      }
    }
    options.literalValues = values;
  }
  return options;
}
