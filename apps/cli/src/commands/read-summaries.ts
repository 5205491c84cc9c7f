import { Readable } from 'node:stream';
import { readSourceSessions, type SessionSourceReader, type SourceEvent, type SourceFile } from '@forge/reader-kit';
import { summarizeSession, type SessionSummary, type SessionWarning } from '@forge/schema';
import { discoverInputs, isPassedOver } from '@forge/state';
import { type CliIo } from '../cli-io.js';
import { createProgress } from '../render/progress.js';
import { type SessionInputOptions } from './command-options.js';
import { sourceSelection } from './load-sessions.js';

/** What {@link readSummaries} found: what `forge stats` prints. */
export interface CollectedSummaries {
  /** One per session, sorted by source and id (the order `loadSessions` gives the sessions). */
  summaries: SessionSummary[];
  /** Input files read. */
  files: number;
  /** Files that gave no session, with why. */
  skippedFiles: { path: string; reason: string }[];
  /** Warnings no session carries: of discovery, of files, of the cross-file step. */
  fileWarnings: SessionWarning[];
}

/**
 * `forge stats`'s usage path: the summary of every selected session, read by the same readers, the
 * same per-file engine and the same cross-file step (`readSourceSessions`) as every other command,
 * but asking for `detail: 'summary'` (readers that support it hand out messages without their
 * texts) and summarising each session as soon as it is final instead of holding whole Sessions.
 * No state cache and no fingerprints: nothing is recorded, so nothing needs them.
 */
export async function readSummaries(options: SessionInputOptions, io: CliIo): Promise<CollectedSummaries> {
  const progress = createProgress(io, { quiet: options.quiet });
  const collected: CollectedSummaries = { summaries: [], files: 0, skippedFiles: [], fileWarnings: [] };
  const skipped = new Set<string>();
  const skip = (path: string, reason: string): void => {
    if (skipped.has(path)) return;
    skipped.add(path);
    collected.skippedFiles.push({ path, reason });
  };
  const warn = (warning: SessionWarning): void => {
    collected.fileWarnings.push(warning);
    skip(warning.file, warning.message);
  };
  try {
    const selection = sourceSelection(options, io);
    const discovered = await discoverInputs(selection);
    progress.start('reading', discovered.files.length, discovered.files.reduce((total, file) => total + file.size, 0));
    for (const warning of discovered.warnings) if (isPassedOver(warning)) warn(warning);
    for (const { reader, files } of discovered.perReader) {
      const listed = listedFiles(reader, files, (file, read) => {
        if (read != null) collected.files += 1;
        if (read?.sessions === 0 && read.warnings === 0) skip(file.path, 'no conversation in the file');
        progress.advance(file.size);
      });
      for await (const session of readSourceSessions(listed, { detail: 'summary', onWarning: warn })) {
        if (selection.sources?.has(session.source) !== false) collected.summaries.push(summarizeSession(session));
      }
    }
  } finally {
    progress.stop();
  }
  collected.summaries.sort((left, right) => left.source.localeCompare(right.source) || left.id.localeCompare(right.id));
  collected.skippedFiles.sort((left, right) => left.path.localeCompare(right.path) || left.reason.localeCompare(right.reason));
  return collected;
}

/**
 * The reader over the files discovery listed (of the selected sources only), telling `done` how
 * many sessions and file warnings each gave (undefined: it could not be read). A read that throws
 * (an I/O error, never bad content) leaves the file out with an `unreadable-file` warning, as in
 * `collectSessions`: a file's events are handed on once it is read to the end (the fold holds
 * them until then anyway).
 */
function listedFiles(reader: SessionSourceReader, files: readonly SourceFile[], done: (file: SourceFile, read: { sessions: number; warnings: number } | undefined) => void): SessionSourceReader {
  return {
    ...reader,
    discover: () => Readable.from(files),
    async *readFile(file, options) {
      const events: SourceEvent[] = [];
      try {
        for await (const event of reader.readFile(file, options)) events.push(event);
      } catch (error) {
        yield { kind: 'file-warning', warning: { file: file.path, kind: 'unreadable-file', message: `cannot read file: ${error instanceof Error ? error.message : String(error)}` } };
        done(file, undefined);
        return;
      }
      done(file, { sessions: events.filter((event) => event.kind === 'session').length, warnings: events.filter((event) => event.kind === 'file-warning').length });
      yield* events;
    },
  };
}
