import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ForgeError } from '@forge/schema';
import { type SystemPromptPolicy } from '@forge/transform';

/** A `--system-prompt` value read: the transform's policy, and what the manifest records (a file by its path and digest, never its text). */
export interface ResolvedSystemPrompt {
  policy: SystemPromptPolicy;
  recorded: 'keep' | 'drop' | { file: string; sha256: string };
}

/** `keep`, `drop`, or a replacement file, read (a missing or unreadable file is a `usage` error naming it). */
export async function resolveSystemPrompt(value: string, cwd: string): Promise<ResolvedSystemPrompt> {
  if (value === 'keep' || value === 'drop') return { policy: value, recorded: value };
  const file = resolve(cwd, value);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new ForgeError({ message: `invalid option systemPrompt: ${JSON.stringify(value)} is not keep, drop or a readable text file (${file}: ${reason})`, code: 'usage' });
  }
  return { policy: { replacement: text }, recorded: { file, sha256: createHash('sha256').update(text).digest('hex') } };
}
