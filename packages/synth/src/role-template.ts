import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { SynthError } from './synth-error.js';
import { synthRoles, type SynthRole } from './synth-options.js';

const taskSchema = z.object({
  /** Short id of the task, recorded in the synthetic tag. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/u, 'lower-case letters, digits and dashes'),
  /** The user prompt of the run (the first and only message in print mode). */
  prompt: z.string().min(1),
});

const templateFileSchema = z.strictObject({
  role: z.enum(synthRoles),
  description: z.string().optional(),
  /** Where the run's cwd sits, as in Gas Town's role files (`{{town}}/{{rig}}/witness`). */
  work_dir: z.string().min(1),
  /** Appended to the program's own system prompt (`--append-system-prompt`). */
  system: z.string().min(1),
  variables: z.record(z.string(), z.string()).default({}),
  /** Files to create in the work dir before the run: relative path → content (variables allowed in both). */
  files: z.record(z.string(), z.string()).default({}),
  tasks: z.array(taskSchema).min(1),
});

/** A role's prompt template, as read from its TOML file. */
export interface RoleTemplate {
  role: SynthRole;
  /** Absolute path of the file. */
  file: string;
  /** sha256 of the file's bytes. */
  sha256: string;
  description?: string;
  workDir: string;
  system: string;
  variables: Record<string, string>;
  files: Record<string, string>;
  tasks: Array<z.infer<typeof taskSchema>>;
}

/** Where to look for templates. */
export interface TemplateLookup {
  /** Look only here (`--templates DIR`). */
  templateDir?: string;
  /** Decides the user folder (`XDG_CONFIG_HOME`, `HOME`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The templates shipped with this package (`templates/<role>.toml`): copy them to edit. */
export function builtInTemplateDir(): string {
  // One level below the package root both as source (src/) and built (dist/index.js).
  return fileURLToPath(new URL('../templates/', import.meta.url));
}

/** The user's template folder, read before the built-in one: `$XDG_CONFIG_HOME/forge/synth-templates`, default `~/.config/…`. */
export function defaultUserTemplateDir(env: Readonly<Record<string, string | undefined>> = {}): string {
  const configHome = env.XDG_CONFIG_HOME != null && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return join(configHome, 'forge', 'synth-templates');
}

/**
 * Reads `<role>.toml` from `templateDir`, or else from the user folder and then the built-in one.
 *
 * @throws SynthError `template-missing` when no folder has the file, `template-invalid` (with
 *   file:line) when it is not valid TOML or not a template of that role.
 */
export async function readRoleTemplate(role: SynthRole, lookup: TemplateLookup = {}): Promise<RoleTemplate> {
  const folders = lookup.templateDir != null ? [lookup.templateDir] : [defaultUserTemplateDir(lookup.env), builtInTemplateDir()];
  for (const folder of folders) {
    const file = join(folder, `${role}.toml`);
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new SynthError({ message: `cannot read the template: ${error.message}`, code: 'template-missing', location: { file }, cause: error });
    });
    if (bytes != null) return parseRoleTemplate(bytes, file, role);
  }
  throw new SynthError({ message: `no template for role ${role}`, code: 'template-missing', location: { file: join(folders[0]!, `${role}.toml`) }, hint: `copy ${join(builtInTemplateDir(), `${role}.toml`)} there` });
}

/** Parses and checks a template file's bytes. */
export function parseRoleTemplate(bytes: Uint8Array, file: string, role: SynthRole): RoleTemplate {
  let raw: unknown;
  try {
    raw = parseToml(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    throw new SynthError({ message: `not valid TOML: ${(error as Error).message.split('\n')[0]}`, code: 'template-invalid', location: line == null ? { file } : { file, line }, cause: error });
  }
  const result = templateFileSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
    throw new SynthError({ message: `not a role template: ${problems}`, code: 'template-invalid', location: { file }, hint: `see ${join(builtInTemplateDir(), 'README.md')}` });
  }
  const template = result.data;
  if (template.role !== role) {
    throw new SynthError({ message: `the template is for role ${template.role}, not ${role}`, code: 'template-invalid', location: { file }, hint: 'name each file after its role' });
  }
  return {
    role,
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    ...(template.description == null ? {} : { description: template.description }),
    workDir: template.work_dir,
    system: template.system,
    variables: template.variables,
    files: template.files,
    tasks: template.tasks,
  };
}

/**
 * Fills `{{name}}` placeholders. An unknown name is an error (a typo would otherwise reach the
 * model as literal braces).
 */
export function renderTemplateText(text: string, variables: Readonly<Record<string, string>>, where: { file: string; field: string }): string {
  return text.replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/gu, (_match, name: string) => {
    const value = variables[name];
    if (value == null) {
      throw new SynthError({
        message: `${where.field} uses {{${name}}}, which has no value`,
        code: 'template-invalid',
        location: { file: where.file },
        hint: `set it in [variables] or with --var ${name}=…; known: ${Object.keys(variables).sort().join(', ')}`,
      });
    }
    return value;
  });
}
