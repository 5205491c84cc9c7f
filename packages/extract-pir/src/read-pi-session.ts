import { open, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readJsonLineBatches } from '@forge/reader-kit';
import { type Session, type SessionWarning } from '@forge/schema';
import { buildSessions, type BranchSelection, type SubagentLink } from './build-session.js';
import { parsePiSessionFile, type PiFlavor } from './parse-session-file.js';
import { PiSessionError } from './pi-session-error.js';

/** Options of {@link readPiSession}. */
export interface ReadPiSessionOptions {
  /** `active` (default): the branch the harness would resume. `all`: one trajectory per leaf. */
  branches?: BranchSelection;
  /** The flavor, when the caller knows it (discovery does); otherwise it is read from the file. */
  flavor?: PiFlavor;
  /** Notes about files that yield nothing (a 0-byte file). Per-line problems go into `Session.warnings`. */
  onWarning?: (warning: SessionWarning) => void;
}

/**
 * For an omp subagent file `<session>/<task>.jsonl`, the parent session id from the header of
 * the sibling `<session>.jsonl`; undefined for every other file.
 */
export async function findSubagentParent(path: string): Promise<{ parentPath: string; link: SubagentLink } | undefined> {
  const folder = dirname(path);
  const parentPath = join(dirname(folder), `${basename(folder)}.jsonl`);
  const header = await readHeaderLine(parentPath);
  if (header == null) return undefined;
  return { parentPath, link: { parentSessionId: header.id, agentId: basename(path, '.jsonl') } };
}

/** A file's session header as discovery needs it. */
export interface HeaderLine {
  id: string;
  cwd: string;
  raw: Record<string, unknown>;
  /** The file starts with omp's title slot. */
  titleSlot: boolean;
  /** The first entry after the header, which tells pir (no root `parentId`) from TS pi. */
  firstEntry?: Record<string, unknown>;
}

/** The header of a pi-family file from its first 64 KiB (after omp's title slot), or undefined. */
export async function readHeaderLine(path: string): Promise<HeaderLine | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.allocUnsafe(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const window = buffer.subarray(0, bytesRead);
    const records: Array<Record<string, unknown>> = [];
    // Only the first three records are decoded, not the whole window. The last piece may be cut by
    // the 64 KiB window: it is used only when the file ended within the window.
    for (let start = 0; start < window.length && records.length < 3; ) {
      let end = window.indexOf(10, start);
      if (end === -1) {
        if (bytesRead === buffer.length) break;
        end = window.length;
      }
      const line = window.toString('utf8', start, end);
      start = end + 1;
      if (line.trim() === '') continue;
      try {
        const value = JSON.parse(line) as unknown;
        if (typeof value !== 'object' || value == null || Array.isArray(value)) return undefined;
        records.push(value as Record<string, unknown>);
      } catch {
        if (records.length === 0) return undefined;
        break;
      }
    }
    const header = headerFrom(records);
    // A header cut by the window (omp headers can list many previous files): read it whole.
    if (header == null && bytesRead === buffer.length) return await readHeaderSlowly(path);
    return header;
  } finally {
    await handle.close();
  }
}

/** A header line longer than the 64 KiB window (omp can list many previous files): stream it. */
async function readHeaderSlowly(path: string): Promise<HeaderLine | undefined> {
  const records: Array<Record<string, unknown>> = [];
  reading: for await (const batch of readJsonLineBatches(path)) {
    for (const record of batch) {
      if (record.kind !== 'value' || typeof record.value !== 'object' || record.value == null || Array.isArray(record.value)) break reading;
      records.push(record.value as Record<string, unknown>);
      if (records.length === 3) break reading;
    }
  }
  return headerFrom(records);
}

function headerFrom(records: Array<Record<string, unknown>>): HeaderLine | undefined {
  const titleSlot = records[0]?.type === 'title';
  const header = titleSlot ? records[1] : records[0];
  if (header?.type !== 'session' || typeof header.id !== 'string') return undefined;
  const firstEntry = titleSlot ? records[2] : records[1];
  return { id: header.id, cwd: typeof header.cwd === 'string' ? header.cwd : '', raw: header, titleSlot, ...(firstEntry == null ? {} : { firstEntry }) };
}

/**
 * Reads one pi-family session file (pir, TS pi or omp) into canonical Sessions: the active branch
 * by default, every branch with `branches: 'all'`. Streams the file line by line; bad lines become
 * warnings on the Session. A 0-byte file yields `[]` and an `empty-file` note through `onWarning`.
 *
 * @throws PiSessionError `not-a-pi-session` when the first record is not a session header,
 *   `unreadable-session` when the file cannot be opened.
 */
export async function readPiSession(path: string, options: ReadPiSessionOptions = {}): Promise<Session[]> {
  const branches = options.branches ?? 'active';
  if (branches !== 'active' && branches !== 'all') {
    throw new PiSessionError({ message: `unknown branches option ${JSON.stringify(branches)}`, code: 'invalid-option', hint: "use 'active' or 'all'" });
  }
  try {
    await stat(path);
  } catch (error) {
    throw new PiSessionError({ message: 'cannot read the session file', code: 'unreadable-session', location: { file: path }, hint: 'check that the path exists and is readable', cause: error });
  }
  const omp = options.flavor === 'omp' || path.includes('/.omp/');
  const file = await parsePiSessionFile(path, omp ? { flavorHint: 'omp' } : {});
  if (file == null) {
    options.onWarning?.({ file: path, kind: 'empty-file', message: 'empty session file skipped (0 bytes or blank lines only)' });
    return [];
  }
  if (options.flavor != null && options.flavor !== 'omp') file.flavor = options.flavor;
  const parent = file.flavor === 'omp' ? await findSubagentParent(path) : undefined;
  return buildSessions(file, parent == null ? { branches } : { branches, subagent: parent.link });
}
