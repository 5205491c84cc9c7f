import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { type HeaderMemo, type JsonValue } from '@forge/reader-kit';
import { type SessionWarning } from '@forge/schema';
import { detectFlavor, type PiFlavor } from './pi-header.js';
import { readHeaderOf, type HeaderLine } from './read-header-line.js';
import { readSessionIndex, type SessionIndexRow } from './session-index.js';
import { defaultPiSessionRoots, toRoot, type PiSessionRoot } from './session-roots.js';

/** Options of {@link discoverPiSessions}. */
export interface DiscoverPiSessionsOptions {
  /** Session roots to search instead of the defaults (a bare path under `.omp/` counts as omp). */
  roots?: Array<string | PiSessionRoot>;
  /** Environment for the default roots. Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /** Home folder for the default roots. Default: `os.homedir()`. */
  homeDirectory?: string;
  /** Use `session-index.sqlite` as a hint when present. Default true. */
  useIndex?: boolean;
  /** Notes about things skipped or distrusted: empty files, non-sessions, an unusable or stale index. */
  onWarning?: (warning: SessionWarning) => void;
  /** Header facts of earlier runs: a file with the same path, size and mtime is not opened. Filled with what is read now. */
  headerMemo?: HeaderMemo;
}

/** One session file found on disk (a `SourceFile` of the shared reader vocabulary, with what discovery learnt). */
export interface PiSessionHandle {
  path: string;
  /** Which program wrote it: the `Session.source` its sessions carry. */
  source: PiFlavor;
  /** The header's session id. */
  id: string;
  /** The header's working directory (never decoded from the folder name). */
  cwd: string;
  size: number;
  mtimeMs: number;
  /** `index`: a session-index row matched the file's size and mtime; `scan`: only the folder walk found it. */
  foundBy: 'index' | 'scan';
  /** The root the file was found under. */
  root: string;
  /** For omp subagent files (`<session>/<task>.jsonl`): the parent session file. */
  parentPath?: string;
  /** From a matching index row: pir's count of message entries and the session name. */
  messageCount?: number;
  name?: string;
}

const MAX_DEPTH = 4;

/** Folders and files that live next to sessions but are not sessions (pi-family.md §1.4). */
function isSkippedName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.v2') || name.includes('.v2.') || name.endsWith('.lock') || name.startsWith('session-index.');
}

async function listSessionFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    for (const entry of entries) {
      if (isSkippedName(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH) await walk(path, depth + 1);
      } else if (entry.isFile() && entry.name.endsWith('.jsonl')) {
        files.push(path);
      }
    }
  };
  await walk(root, 0);
  return files;
}

/** Index rows keyed by `<folder>/<file>` relative to the root, so a moved or copied tree still matches. */
function rowKey(path: string): string {
  const parts = path.split(/[\\/]/u);
  return parts.slice(-2).join('/');
}

async function loadIndex(root: string, warn: (warning: SessionWarning) => void): Promise<Map<string, SessionIndexRow> | undefined> {
  const indexPath = join(root, 'session-index.sqlite');
  try {
    await stat(indexPath);
  } catch {
    return undefined;
  }
  try {
    const rows = await readSessionIndex(indexPath);
    return new Map(rows.map((row) => [rowKey(row.path), row]));
  } catch (error) {
    warn({
      file: indexPath,
      kind: 'index-unavailable',
      message: `session index unusable (${error instanceof Error ? error.message : String(error)}); scanning the folders instead`,
    });
    return undefined;
  }
}

/**
 * Finds every pi-family session file under the roots (default: `$PI_SESSIONS_DIR`, else
 * `$PI_CODING_AGENT_DIR/sessions`, else `~/.pi/agent/sessions`; and `$OMP_CODING_AGENT_DIR/sessions`
 * or `~/.omp/agent/sessions`). pir's `session-index.sqlite` is a hint checked against each file's
 * size and mtime; the folders are always scanned too. Never writes anything under a root.
 */
export async function* discoverPiSessions(options: DiscoverPiSessionsOptions = {}): AsyncGenerator<PiSessionHandle> {
  const warn = options.onWarning ?? (() => undefined);
  const roots = options.roots == null ? defaultPiSessionRoots(options.env ?? process.env, options.homeDirectory) : options.roots.map(toRoot);
  for (const root of roots) {
    try {
      if (!(await stat(root.path)).isDirectory()) continue;
    } catch {
      continue;
    }
    const index = options.useIndex === false ? undefined : await loadIndex(root.path, warn);
    const matchedRows = new Set<string>();
    let staleRows = 0;
    const files = await listSessionFiles(root.path);
    const fileSet = new Set(files);
    for (const path of files) {
      // Synchronous: for thousands of small files a thread-pool round trip costs more than the stat.
      let stats;
      try {
        stats = statSync(path);
      } catch {
        continue;
      }
      if (stats.size === 0) {
        warn({ file: path, kind: 'empty-file', message: 'empty session file skipped (0 bytes)' });
        continue;
      }
      const facts = await headerFactsOf(path, stats, options.headerMemo);
      if (facts == null) {
        warn({ file: path, kind: 'not-a-session', message: 'not a pi session: the first record is not a {"type":"session"} header; skipped', line: 1 });
        continue;
      }
      const key = rowKey(path);
      const row = index?.get(key);
      let fresh = false;
      if (row != null) {
        matchedRows.add(key);
        fresh = row.sizeBytes === stats.size && row.lastModifiedMs === Math.floor(stats.mtimeMs);
        if (!fresh) staleRows += 1;
      }
      const handle: PiSessionHandle = {
        path,
        source: root.kind === 'omp' ? 'omp' : facts.flavor,
        id: facts.id,
        cwd: facts.cwd,
        size: stats.size,
        mtimeMs: stats.mtime.getTime(),
        foundBy: fresh ? 'index' : 'scan',
        root: root.path,
      };
      if (fresh && row != null) {
        handle.messageCount = row.messageCount;
        if (row.name != null) handle.name = row.name;
      }
      const parentPath = subagentParentPath(root.path, path, fileSet);
      if (parentPath != null) handle.parentPath = parentPath;
      yield handle;
    }
    if (index != null) {
      const deletedRows = [...index.keys()].filter((key) => !matchedRows.has(key)).length;
      if (staleRows > 0 || deletedRows > 0) {
        warn({
          file: join(root.path, 'session-index.sqlite'),
          kind: 'index-stale',
          message: `session index is stale: ${staleRows} row(s) disagree with the file's size or mtime (re-read), ${deletedRows} row(s) name files that no longer exist (ignored)`,
        });
      }
    }
  }
}

/** What discovery keeps of a header: the handle is made from these alone, whether read now or remembered. */
interface HeaderFacts {
  id: string;
  cwd: string;
  /** The flavor the file itself shows (a file under an omp root is omp whatever it shows). */
  flavor: PiFlavor;
  // An index signature: the facts are a JSON value the memo stores as is.
  [key: string]: JsonValue;
}

function headerFacts(header: HeaderLine): HeaderFacts {
  return { id: header.id, cwd: header.cwd, flavor: detectFlavor(header.header, header.firstEntry, header.titleSlot) };
}

function isHeaderFacts(value: JsonValue | undefined): value is HeaderFacts {
  if (typeof value !== 'object' || value == null || Array.isArray(value)) return false;
  return typeof value.id === 'string' && typeof value.cwd === 'string' && (value.flavor === 'pi' || value.flavor === 'pir' || value.flavor === 'omp');
}

/**
 * A file's header facts: remembered ones when its path, size and mtime are unchanged (the file is
 * not opened), else read now and remembered. Undefined: no session header (remembered too, so its
 * warning comes again without a read) or the file cannot be opened (not remembered: it may open
 * next time with the same mtime, as after a chmod).
 */
async function headerFactsOf(path: string, stats: { size: number; mtimeMs: number }, memo: HeaderMemo | undefined): Promise<HeaderFacts | undefined> {
  const remembered = memo?.recall(path, stats.size, stats.mtimeMs);
  if (isHeaderFacts(remembered)) return remembered;
  // Remembered as no session (null, not undefined): warned about again without a read.
  if (remembered == null && remembered !== undefined) return undefined;
  const header = await readHeaderOf(path);
  if (header === 'unopened') return undefined;
  const facts = header === 'none' ? undefined : headerFacts(header);
  memo?.remember(path, stats.size, stats.mtimeMs, facts ?? null);
  return facts;
}

/** omp writes a subagent's session to `<parent stem>/<task>.jsonl` next to `<parent stem>.jsonl`. */
function subagentParentPath(root: string, path: string, files: Set<string>): string | undefined {
  const parts = relative(root, path).split(sep);
  if (parts.length < 3) return undefined;
  const folder = join(root, ...parts.slice(0, -1));
  const candidate = `${folder}.jsonl`;
  return files.has(candidate) && basename(candidate) !== basename(path) ? candidate : undefined;
}
