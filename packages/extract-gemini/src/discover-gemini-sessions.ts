import { createHash } from 'node:crypto';
import { type Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isJsonObject, type DiscoverOptions, type SourceFile } from '@forge/reader-kit';
import { geminiDir, projectsFolder } from './gemini-roots.js';

/** What a Gemini file is (gemini-cli.md §1.2): a recorded chat, a subagent's chat, or a `/chat save` checkpoint. */
export type GeminiFileKind = 'chat' | 'subagent' | 'checkpoint';

const chatName = /^session-.+\.jsonl?$/u;
const subagentName = /^[^.].*\.jsonl$/u;
const checkpointName = /^checkpoint-.+\.json$/u;

async function entriesOf(folder: string): Promise<Dirent[]> {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `projects.json` (`{ projects: { <path>: <slug> } }`) next to `tmp/`. */
async function projectRegistry(tmpFolder: string): Promise<Record<string, string>> {
  const text = await readText(join(dirname(tmpFolder), 'projects.json'));
  if (text == null) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) && isJsonObject(parsed.projects) ? (parsed.projects as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/**
 * The project folder a `tmp/<id>` folder belongs to: its `.project_root` marker (0.2x+ slugs), the
 * registry entry naming the slug, or (older hash folders) the registered path whose SHA-256 is the
 * folder name. '' when nothing says.
 */
async function projectCwd(projectFolder: string, registry: Record<string, string>): Promise<string> {
  const marker = (await readText(join(projectFolder, '.project_root')))?.trim();
  if (marker != null && marker !== '') return marker;
  const id = basename(projectFolder);
  for (const [path, slug] of Object.entries(registry)) {
    if (slug === id || createHash('sha256').update(path).digest('hex') === id) return path;
  }
  return '';
}

async function sourceFile(path: string, hints: SourceFile['hints'], onWarning: DiscoverOptions['onWarning']): Promise<SourceFile | undefined> {
  try {
    const facts = await stat(path);
    return { path, source: 'gemini', size: facts.size, mtimeMs: facts.mtimeMs, ...(hints == null ? {} : { hints }) };
  } catch (error) {
    onWarning?.({ file: path, kind: 'unreadable-file', message: `cannot stat the file: ${(error as Error).message}` });
    return undefined;
  }
}

/** The chats and saved chats of one `tmp/<project>` folder. */
async function* projectFiles(projectFolder: string, registry: Record<string, string>, onWarning: DiscoverOptions['onWarning']): AsyncGenerator<SourceFile> {
  const cwd = await projectCwd(projectFolder, registry);
  const found: Array<{ path: string; kind: GeminiFileKind; parentSessionId?: string }> = [];
  for (const entry of await entriesOf(projectFolder)) {
    if (entry.isFile() && checkpointName.test(entry.name)) found.push({ path: join(projectFolder, entry.name), kind: 'checkpoint' });
  }
  const chats = join(projectFolder, 'chats');
  for (const entry of await entriesOf(chats)) {
    if (entry.isFile() && chatName.test(entry.name)) found.push({ path: join(chats, entry.name), kind: 'chat' });
    if (!entry.isDirectory()) continue;
    // Subagents are recorded under the parent session's full id: chats/<parent id>/<id>.jsonl.
    for (const child of await entriesOf(join(chats, entry.name))) {
      if (child.isFile() && subagentName.test(child.name)) found.push({ path: join(chats, entry.name, child.name), kind: 'subagent', parentSessionId: entry.name });
    }
  }
  found.sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
  for (const file of found) {
    const hints = { kind: file.kind, cwd, ...(file.parentSessionId == null ? {} : { parentSessionId: file.parentSessionId }) };
    const source = await sourceFile(file.path, hints, onWarning);
    if (source != null) yield source;
  }
}

/**
 * Every Gemini CLI chat, subagent chat and saved chat under the roots (default
 * `$GEMINI_CLI_HOME/.gemini/tmp` or `~/.gemini/tmp`; a root may also be a `.gemini` folder), in
 * path order. Never opens a file for writing.
 */
export async function* discoverGeminiSessions(options: DiscoverOptions = {}): AsyncGenerator<SourceFile> {
  const roots = options.roots ?? [projectsFolder(geminiDir(options.env ?? process.env, options.homeDirectory))];
  for (const root of [...roots].sort()) {
    const entries = await entriesOf(root);
    // A `.gemini` folder given as the root: its projects are in tmp/.
    const tmp = entries.some((entry) => entry.isDirectory() && entry.name === 'tmp') && !entries.some((entry) => entry.name === 'chats') ? join(root, 'tmp') : root;
    const registry = await projectRegistry(tmp);
    const projects = (tmp === root ? entries : await entriesOf(tmp)).filter((entry) => entry.isDirectory() && entry.name !== 'bin').map((entry) => entry.name).sort();
    for (const project of projects) yield* projectFiles(join(tmp, project), registry, options.onWarning);
  }
}
