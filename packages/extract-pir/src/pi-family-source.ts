import { join } from 'node:path';
import { headRecords, sessionEvents, type SessionSourceReader } from '@forge/reader-kit';
import { ForgeError, type Session, type SessionWarning } from '@forge/schema';
import { discoverPiSessions } from './discover-pi-sessions.js';
import { isJsonObject } from './json-fields.js';
import { detectFlavor, type PiFlavor } from './parse-session-file.js';
import { readPiSession } from './read-pi-session.js';

const ompPathPattern = /[\\/]\.omp[\\/]/u;
// A header longer than the head (omp lists every previous file of a session): its opening tells.
const partialHeaderPattern = /^\s*\{"type":"session"/u;

/** A file that could not be read at all, as the warning that replaces its sessions. */
export function fileFailure(path: string, error: { message: string; code: string }): SessionWarning {
  return { file: path, kind: error.code === 'not-a-pi-session' ? 'not-a-session' : 'unreadable-file', message: error.message };
}

/**
 * pi-family sessions (pir = pi_agent_rust, TS pi, omp = oh-my-pi): `~/.pi/agent/sessions` and
 * `~/.omp/agent/sessions` (or their environment variables). Every file stands alone.
 */
export const piFamilySource: SessionSourceReader = {
  name: 'pi-family',
  sources: ['pir', 'pi', 'omp'],
  aliases: {},
  homeRoots: (home) => [join(home, '.pi', 'agent', 'sessions'), join(home, '.omp', 'agent', 'sessions')],
  async *discover(options = {}) {
    const discovery = discoverPiSessions({
      ...(options.roots == null ? {} : { roots: [...options.roots] }),
      ...(options.env == null ? {} : { env: options.env }),
      ...(options.homeDirectory == null ? {} : { homeDirectory: options.homeDirectory }),
      ...(options.onWarning == null ? {} : { onWarning: options.onWarning }),
    });
    for await (const handle of discovery) yield { path: handle.path, source: handle.flavor, size: handle.size, mtimeMs: handle.mtime.getTime() };
  },
  detect(head, path) {
    const { values, partial } = headRecords(head, 3);
    const titleSlot = isJsonObject(values[0]) && values[0].type === 'title';
    const header = titleSlot ? values[1] : values[0];
    const omp = titleSlot || ompPathPattern.test(path);
    if (isJsonObject(header)) {
      if (header.type !== 'session' || typeof header.id !== 'string') return undefined;
      const firstEntry = titleSlot ? values[2] : values[1];
      return detectFlavor(header, isJsonObject(firstEntry) ? firstEntry : undefined, omp);
    }
    if (header === undefined && values.length === (titleSlot ? 1 : 0) && partial != null && partialHeaderPattern.test(partial)) return omp ? 'omp' : 'pi';
    return undefined;
  },
  async *readFile(file, options = {}) {
    const warnings: SessionWarning[] = [];
    let sessions: Session[];
    try {
      sessions = await readPiSession(file.path, {
        ...(options.branches == null ? {} : { branches: options.branches }),
        flavor: file.source as PiFlavor,
        onWarning: (warning) => warnings.push(warning),
      });
    } catch (error) {
      if (!ForgeError.isInstance(error)) throw error;
      yield { kind: 'file-warning', warning: fileFailure(file.path, error) };
      return;
    }
    for (const session of sessions) yield* sessionEvents(session);
    for (const warning of warnings) yield { kind: 'file-warning', warning };
  },
};
