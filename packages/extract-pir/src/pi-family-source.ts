import { join } from 'node:path';
import { headRecords, withDetail, type SessionSourceReader, type SourceFile } from '@forge/reader-kit';
import { discoverPiSessions, type DiscoverPiSessionsOptions } from './discover-pi-sessions.js';
import { detectFlavor, findHeader, type PiFlavor } from './pi-header.js';
import { streamPiSession } from './stream-pi-session.js';

const ompPathPattern = /[\\/]\.omp[\\/]/u;
// A header longer than the head (omp lists every previous file of a session): its opening tells.
const partialHeaderPattern = /^\s*\{"type":"session"/u;

/** Discovered pi-family files in the vocabulary every reader shares (each stands alone: no group). */
export async function* piSourceFiles(options: DiscoverPiSessionsOptions): AsyncGenerator<SourceFile> {
  for await (const handle of discoverPiSessions(options)) yield { path: handle.path, source: handle.source, size: handle.size, mtimeMs: handle.mtimeMs };
}

/**
 * pi-family sessions (pir = pi_agent_rust, TS pi, omp = oh-my-pi): `~/.pi/agent/sessions` and
 * `~/.omp/agent/sessions` (or their environment variables). Every file stands alone.
 */
export const piFamilySource: SessionSourceReader = {
  name: 'pi-family',
  sources: ['pir', 'pi', 'omp'],
  aliases: {},
  location: { url: import.meta.url, exportName: 'piFamilySource' },
  homeRoots: (home) => [join(home, '.pi', 'agent', 'sessions'), join(home, '.omp', 'agent', 'sessions')],
  discover: (options = {}) =>
    piSourceFiles({
      ...(options.roots == null ? {} : { roots: [...options.roots] }),
      ...(options.env == null ? {} : { env: options.env }),
      ...(options.homeDirectory == null ? {} : { homeDirectory: options.homeDirectory }),
      ...(options.onWarning == null ? {} : { onWarning: options.onWarning }),
      ...(options.headerMemo == null ? {} : { headerMemo: options.headerMemo }),
    }),
  detect(head, path) {
    const { values, partial } = headRecords(head, 3);
    const omp = ompPathPattern.test(path);
    const found = findHeader(values);
    if (found != null) return detectFlavor(found.header, found.firstEntry, omp || found.titleSlot);
    const titleSlot = values.length === 1 && typeof values[0] === 'object' && (values[0] as { type?: unknown } | null)?.type === 'title';
    // A header the head cut off (the only thing read so far, after omp's title slot at most).
    if (values.length === (titleSlot ? 1 : 0) && partial != null && partialHeaderPattern.test(partial)) return omp || titleSlot ? 'omp' : 'pi';
    return undefined;
  },
  readFile: (file, options = {}) =>
    withDetail(
      streamPiSession(file.path, {
        source: file.source as PiFlavor,
        size: file.size,
        ...(options.onWholeRead == null ? {} : { onWholeRead: options.onWholeRead }),
        ...(options.branches == null ? {} : { branches: options.branches }),
        ...(options.maxLineBytes == null ? {} : { maxLineBytes: options.maxLineBytes }),
        // Bad content never throws past the file: a file that is no session or cannot be read is a warning.
        failuresAsWarnings: true,
      }),
      options.detail,
    ),
};
