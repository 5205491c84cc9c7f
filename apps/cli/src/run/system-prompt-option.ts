import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ForgeError } from '@forge/schema';
import { type SystemPromptPolicy } from '@forge/transform';

/** A replacement system prompt as the manifest records it: the file and its digest, the text kept out. */
export interface SystemPromptFile {
  file: string;
  sha256: string;
  text: string;
}

/** `keep`, `drop`, or the replacement file read (a missing or unreadable file is a `usage` error naming it). */
export async function resolveSystemPrompt(value: string, cwd: string): Promise<'keep' | 'drop' | SystemPromptFile> {
  if (value === 'keep' || value === 'drop') return value;
  const file = resolve(cwd, value);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new ForgeError({ message: `invalid option systemPrompt: ${JSON.stringify(value)} is not keep, drop or a readable text file (${file}: ${reason})`, code: 'usage' });
  }
  // Not enumerable: the manifest and the run signature get the file and its digest, never the text.
  const resolved = { file, sha256: createHash('sha256').update(text).digest('hex') } as SystemPromptFile;
  Object.defineProperty(resolved, 'text', { value: text, enumerable: false });
  return resolved;
}

/** The transform's policy for a resolved `--system-prompt`. */
export function systemPromptPolicy(resolved: 'keep' | 'drop' | SystemPromptFile): SystemPromptPolicy {
  return typeof resolved === 'string' ? resolved : { replacement: resolved.text };
}
