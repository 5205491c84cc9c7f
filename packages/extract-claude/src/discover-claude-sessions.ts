import { closeSync, openSync, readdirSync, readSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { ClaudeExtractError } from './claude-extract-error.js';
import { isClaudeTranscriptHead } from './claude-transcript-head.js';

/** One transcript file found under a Claude Code config root. Nothing is opened for writing. */
export interface ClaudeSessionFile {
  /** Absolute path of the `.jsonl` file. */
  path: string;
  /** The config root it was found under (`~/.claude`, `$CLAUDE_CONFIG_DIR`, a Gas Town account dir). */
  configDir: string;
  /** `projects/<encoded-cwd>`: the folder name is lossy, so it is never decoded into a cwd. */
  projectDir: string;
  /** `session`: a main transcript; `subagent`: `agent-*.jsonl` beside the sessions (2.0.x) or under `<session>/subagents/` (≥ 2.1.2). */
  kind: 'session' | 'subagent';
  /** From the file name (main transcripts) or the owning `<session>/` folder (subagents); the lines' own sessionId wins. */
  sessionId?: string;
  /** Subagents: the id in `agent-<id>.jsonl`. */
  agentId?: string;
  /** Subagents: the `agent-<id>.meta.json` beside the transcript, when present. */
  metaPath?: string;
  size: number;
  mtimeMs: number;
}

/** Where to look for transcripts. */
export interface DiscoverClaudeSessionsOptions {
  /**
   * Config roots (each holding `projects/`) or `projects` folders themselves. Default:
   * `$CLAUDE_CONFIG_DIR` (comma-separated list accepted), else `~/.claude`.
   */
  roots?: readonly string[];
  /** Environment to read `CLAUDE_CONFIG_DIR` from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Home folder for the default root. Default `os.homedir()`. */
  homeDirectory?: string;
}

const agentFilePattern = /^agent-(.+)\.jsonl$/u;

/** The config roots the options name, or the defaults. */
export function claudeConfigRoots(options: DiscoverClaudeSessionsOptions = {}): { roots: string[]; explicit: boolean } {
  if (options.roots != null) return { roots: [...options.roots], explicit: true };
  const env = options.env ?? process.env;
  const configured = env.CLAUDE_CONFIG_DIR;
  if (configured != null && configured.trim() !== '') {
    return { roots: configured.split(',').map((root) => root.trim()).filter((root) => root !== ''), explicit: true };
  }
  return { roots: [join(options.homeDirectory ?? homedir(), '.claude')], explicit: false };
}

// Discovery uses the synchronous calls on purpose: listing and stat-ing a cached folder take
// microseconds, a round trip through libuv's thread pool for each file costs several times that.
function listDirectory(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Where a root's transcripts are: a folder of project folders, or (a root that is one project) that project. */
type RootLayout = { projects: string } | { project: string };

/**
 * A config dir holds `projects/`; a root named `projects` is that folder. Any other folder the user
 * names is recognised by what it holds (a backup copy, an exported archive): project folders with Claude
 * Code transcripts in them, or transcripts of one project.
 */
function rootLayout(root: string, explicit: boolean): RootLayout | undefined {
  const nested = join(root, 'projects');
  if (isDirectory(nested)) return { projects: nested };
  if (!isDirectory(root)) return undefined;
  if (basename(root) === 'projects') return { projects: root };
  // A default root (`~/.claude`) without projects/ holds no transcripts; only a folder the user named is looked into.
  if (!explicit) return undefined;
  if (holdsTranscripts(root)) return { project: root };
  const folders = listDirectory(root).filter((entry) => entry.isDirectory());
  return folders.some((folder) => holdsTranscripts(join(root, folder.name))) ? { projects: root } : undefined;
}

const headBytes = 64 * 1024;
// A few files decide: a project folder's transcripts all look alike.
const filesLooked = 3;

/** Whether a folder holds Claude Code transcripts, by the first bytes of its first `.jsonl` files. */
function holdsTranscripts(folder: string): boolean {
  const files = listDirectory(folder)
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => entry.name)
    .sort()
    .slice(0, filesLooked);
  return files.some((name) => isClaudeTranscriptHead(readHead(join(folder, name))));
}

function readHead(path: string): Buffer {
  let descriptor: number | undefined;
  try {
    descriptor = openSync(path, 'r');
    const buffer = Buffer.alloc(headBytes);
    return buffer.subarray(0, readSync(descriptor, buffer, 0, headBytes, 0));
  } catch {
    return Buffer.alloc(0);
  } finally {
    if (descriptor != null) closeSync(descriptor);
  }
}

/**
 * Lists every Claude Code transcript under the config roots, in a stable order: per project, the
 * main transcripts, then legacy `agent-*.jsonl`, then `<session>/subagents/**` (nested at any depth).
 * `sessions-index.json` is never used: it goes stale (§1.3).
 */
export async function* discoverClaudeSessions(options: DiscoverClaudeSessionsOptions = {}): AsyncGenerator<ClaudeSessionFile> {
  const { roots, explicit } = claudeConfigRoots(options);
  for (const root of roots) {
    const layout = rootLayout(root, explicit);
    if (layout == null) {
      if (explicit) {
        throw new ClaudeExtractError({
          message: `no Claude Code projects folder under ${root}, and no project folders with Claude Code transcripts in it`,
          code: 'claude-root-missing',
          location: { file: root },
          hint: 'pass a config dir that holds projects/ (e.g. ~/.claude or ~/.claude-accounts/<handle>), a folder of project folders, or one project folder',
        });
      }
      continue;
    }
    if ('project' in layout) {
      yield* discoverProject(root, layout.project);
      continue;
    }
    const projectEntries = listDirectory(layout.projects)
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    for (const projectName of projectEntries) {
      yield* discoverProject(root, join(layout.projects, projectName));
    }
  }
}

async function* discoverProject(configDir: string, projectDir: string): AsyncGenerator<ClaudeSessionFile> {
  const entries = (listDirectory(projectDir)).sort((left, right) => left.name.localeCompare(right.name));
  const legacyAgents: ClaudeSessionFile[] = [];
  const sessionFolders: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) {
      sessionFolders.push(entry.name);
      continue;
    }
    if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
    const path = join(projectDir, entry.name);
    const agentId = agentFilePattern.exec(entry.name)?.[1];
    const file = describe(path, configDir, projectDir, agentId == null ? 'session' : 'subagent');
    if (file == null) continue;
    if (agentId == null) {
      file.sessionId = entry.name.slice(0, -'.jsonl'.length);
      yield file;
    } else {
      file.agentId = agentId;
      legacyAgents.push(file);
    }
  }
  yield* legacyAgents;
  for (const folder of sessionFolders) {
    const subagents = join(projectDir, folder, 'subagents');
    if (!isDirectory(subagents)) continue;
    yield* discoverSubagents(configDir, projectDir, folder, subagents);
  }
}

async function* discoverSubagents(configDir: string, projectDir: string, sessionId: string, folder: string): AsyncGenerator<ClaudeSessionFile> {
  const entries = (listDirectory(folder)).sort((left, right) => left.name.localeCompare(right.name));
  const names = new Set(entries.map((entry) => entry.name));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      // Nested layouts (workflows/<runId>/…, deeper nesting): walk them all.
      yield* discoverSubagents(configDir, projectDir, sessionId, path);
      continue;
    }
    const agentId = entry.isFile() ? agentFilePattern.exec(entry.name)?.[1] : undefined;
    // journal.jsonl and other lifecycle files are not conversations.
    if (agentId == null) continue;
    const file = describe(path, configDir, projectDir, 'subagent');
    if (file == null) continue;
    file.sessionId = sessionId;
    file.agentId = agentId;
    const metaName = `agent-${agentId}.meta.json`;
    if (names.has(metaName)) file.metaPath = join(folder, metaName);
    yield file;
  }
}

function describe(path: string, configDir: string, projectDir: string, kind: ClaudeSessionFile['kind']): ClaudeSessionFile | undefined {
  try {
    const info = statSync(path);
    return { path, configDir, projectDir, kind, size: info.size, mtimeMs: info.mtime.getTime() };
  } catch {
    return undefined;
  }
}
