import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { claudeCodeSource } from '@forge/extract-claude';
import { codexReader } from '@forge/extract-codex';
import { geminiReader } from '@forge/extract-gemini';
import { opencodeReader } from '@forge/extract-opencode';
import { piFamilySource } from '@forge/extract-pir';
import { FILE_HEAD_BYTES, foldSessions, readFileHead, type SessionSourceReader } from '@forge/reader-kit';
import { ForgeError, type Session, type SessionSource, type SessionWarning } from '@forge/schema';

/** Every source forge reads, one line each: adding a source is its reader package and a line here. */
export const sourceReaders: readonly SessionSourceReader[] = [
  piFamilySource,
  claudeCodeSource,
  codexReader,
  geminiReader,
  opencodeReader,
];

/** Every name `--source` and `--root NAME=DIR` accept: the readers' sources and their aliases. */
export const sourceNames: readonly string[] = sourceReaders.flatMap((reader) => [...reader.sources, ...Object.keys(reader.aliases)]);

/** The reader a unit names (`SessionSourceReader.name`: what crosses to a worker instead of the reader). */
export function readerNamed(name: string): SessionSourceReader {
  const reader = sourceReaders.find((candidate) => candidate.name === name);
  if (reader == null) throw new Error(`no reader named ${name}`);
  return reader;
}

/** The `Session.source` a name stands for (a source, or an alias of one), if any. */
function sourceOf(name: string): SessionSource | undefined {
  for (const reader of sourceReaders) {
    if ((reader.sources as readonly string[]).includes(name)) return name as SessionSource;
    const aliased = reader.aliases[name];
    if (aliased != null) return aliased;
  }
  return undefined;
}

/** Parses `--source claude-code,pir` (aliases such as `claude` too; default: every source), sorted. */
export function parseSources(value: string | readonly string[] | undefined): SessionSource[] {
  if (value == null) return [...new Set(sourceReaders.flatMap((reader) => reader.sources))].sort();
  const names = (typeof value === 'string' ? value.split(',') : value).map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  const unknown = names.filter((name) => sourceOf(name) == null);
  if (names.length === 0) throw new ForgeError({ message: 'no source named', code: 'usage', hint: `choose from ${sourceNames.join(', ')}` });
  if (unknown.length > 0) {
    throw new ForgeError({ message: `unknown source ${unknown.map((name) => `"${name}"`).join(', ')}`, code: 'usage', hint: `choose from ${sourceNames.join(', ')}` });
  }
  return [...new Set(names.map((name) => sourceOf(name)!))].sort();
}

/**
 * Resolves `--root` values to folders per reader. `NAME=DIR` names one reader's folder (`claude=DIR`,
 * `pi=DIR`, …); a bare `DIR` is a home folder, whose readers' folders (`.claude`, `.pi/agent/sessions`,
 * …) are used where they exist. No roots: undefined, every reader looks in its defaults.
 */
export function resolveRoots(roots: readonly string[], cwd: string): Record<string, string[]> | undefined {
  if (roots.length === 0) return undefined;
  const byReader: Record<string, string[]> = Object.fromEntries(sourceReaders.map((reader) => [reader.name, []]));
  for (const root of roots) {
    const named = /^([a-z][a-z-]*)=(.+)$/u.exec(root);
    const source = named == null ? undefined : sourceOf(named[1]!);
    if (named != null && source != null) {
      const reader = sourceReaders.find((candidate) => candidate.sources.includes(source))!;
      byReader[reader.name]!.push(resolve(cwd, named[2]!));
      continue;
    }
    const home = resolve(cwd, root);
    if (!existsSync(home)) throw new ForgeError({ message: `root folder does not exist: ${home}`, code: 'usage', hint: 'pass an existing folder to --root' });
    const folders = sourceReaders.flatMap((reader) => reader.homeRoots(home).map((folder) => ({ reader, folder })));
    const found = folders.filter(({ folder }) => existsSync(folder));
    for (const { reader, folder } of found) byReader[reader.name]!.push(folder);
    if (found.length === 0) {
      const looked = folders.map(({ folder }) => `${relative(home, folder)}/`);
      throw new ForgeError({
        message: `no agent sessions under ${home} (looked for ${looked.join(', ')})`,
        code: 'usage',
        hint: `name a home folder, or one reader's folder as NAME=DIR (NAME one of ${sourceNames.join(', ')})`,
      });
    }
  }
  return byReader;
}

/** What `detect` sees of a file the user names. */

/**
 * Reads one session file the user names, of any source: the reader whose `detect` claims its
 * first bytes reads it (and links it on its own, as a group of one).
 */
export async function readSessionFile(path: string): Promise<{ sessions: Session[]; fileWarnings: SessionWarning[] }> {
  const notAFile = (message: string, cause?: unknown) => new ForgeError({ message, code: 'usage', location: { file: path }, hint: 'pass the path of a session .jsonl file', cause });
  const info = await stat(path).catch((error: unknown) => {
    throw notAFile(`cannot read ${path}: ${(error as Error).message}`, error);
  });
  if (!info.isFile()) throw notAFile(`not a file: ${path}`);
  if (info.size === 0) return { sessions: [], fileWarnings: [{ file: path, kind: 'empty-file', message: 'empty session file (0 bytes)' }] };
  const head = await readFileHead(path, Math.min(info.size, FILE_HEAD_BYTES));
  for (const reader of sourceReaders) {
    const source = reader.detect(head, path);
    if (source == null) continue;
    const file = { path, source, size: info.size, mtimeMs: info.mtimeMs };
    const folded = await foldSessions(reader.readFile(file));
    const fileWarnings = [...folded.fileWarnings];
    const sessions = reader.link == null ? folded.sessions : reader.link([{ file, sessions: folded.sessions, linkFacts: folded.linkFacts }], (warning) => fileWarnings.push(warning));
    return { sessions, fileWarnings };
  }
  throw notAFile(`not a session file of any source forge reads (${sourceReaders.flatMap((reader) => reader.sources).join(', ')})`);
}

/**
 * Where Claude Code's session facets are (scoring's one optional signal): under each home folder
 * read (`--root`, the demo), else `$CLAUDE_CONFIG_DIR` or `~/.claude` when this machine's sessions are read.
 */
export function claudeConfigRoots(roots: Readonly<Record<string, readonly string[]>> | undefined, env: NodeJS.ProcessEnv, home: string): string[] {
  if (roots == null) return [env.CLAUDE_CONFIG_DIR ?? join(home, '.claude')];
  const claudeReader = sourceReaders.find((reader) => reader.sources.includes('claude-code'));
  // A Claude Code root is its config folder (or that folder's `projects`): facets are in `<config>/usage-data/facets`.
  return (claudeReader == null ? [] : (roots[claudeReader.name] ?? [])).map((folder) => (basename(folder) === 'projects' ? dirname(folder) : folder));
}
