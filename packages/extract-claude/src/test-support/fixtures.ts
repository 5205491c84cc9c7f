import { cp, chmod, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sharedFixturesRoot } from '@forge-internal/test-agents';
import { type Session } from '@forge/schema';
import { makeTempDir } from './temp-dirs.js';

/** Hand-written fixtures: a CLAUDE_CONFIG_DIR. */
export const handWrittenRoot = join(sharedFixturesRoot, 'claude');
export const handWrittenProject = join(handWrittenRoot, 'projects', '-home-dev-work-acme-api');
export const samplesRoot = join(sharedFixturesRoot, 'claude', 'samples');
export const realRoot = join(sharedFixturesRoot, 'real');

/**
 * The README's role notation: U user, A assistant, r a run of tool results; system-role harness
 * messages (attachments, local commands, api_error retries) are not API turns and are left out.
 */
export function roleString(session: Session): string {
  let roles = '';
  for (const message of session.messages) {
    if (message.role === 'user') roles += 'U';
    else if (message.role === 'assistant') roles += 'A';
    else if (message.role === 'tool' && !roles.endsWith('r')) roles += 'r';
  }
  return roles;
}

/** A writable temp copy of a folder, so tests never touch the shared fixtures. */
export async function copyToTemp(source: string, into = ''): Promise<string> {
  const root = await makeTempDir('forge-extract-claude-');
  const target = join(root, into);
  await cp(source, target, { recursive: true });
  await makeWritable(root);
  return root;
}

async function makeWritable(path: string): Promise<void> {
  const info = await stat(path);
  await chmod(path, info.isDirectory() ? 0o755 : 0o644);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await makeWritable(join(path, entry));
}

/** The sample projects laid out as a config dir (`<tmp>/projects/<project>/…`). */
export async function samplesAsConfigDir(): Promise<string> {
  const root = await makeTempDir('forge-claude-samples-');
  for (const source of ['claude-code-log', 'claude-code-viewer']) {
    for (const project of await readdir(join(samplesRoot, source))) {
      await cp(join(samplesRoot, source, project), join(root, 'projects', project), { recursive: true });
    }
  }
  await makeWritable(root);
  return root;
}

/** A parsed JSON line, read freely in tests (JSON.parse's own result type). */
export type JsonLine = ReturnType<typeof JSON.parse>;
