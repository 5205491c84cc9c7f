import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Gemini CLI's global folder: `$GEMINI_CLI_HOME/.gemini`, else `~/.gemini` (gemini-cli.md §1.1;
 * an empty value counts as unset).
 */
export function geminiDir(env: Readonly<Record<string, string | undefined>>, homeDirectory: string = homedir()): string {
  const configured = env.GEMINI_CLI_HOME;
  return join(configured != null && configured !== '' ? configured : homeDirectory, '.gemini');
}

/** The folder of per-project data (chats, saved chats) under a `.gemini` folder. */
export function projectsFolder(geminiDirectory: string): string {
  return join(geminiDirectory, 'tmp');
}
