import { sessionPassesOf, type FileSessionPasses, type ReadFileOptions, type SessionHead, type SessionSourceReader, type SourceFile } from '@forge/reader-kit';
import { type SessionWarning } from '@forge/schema';
import { type DiscoveredInputs, type ReadInput } from './collect-sessions.js';
import { fingerprintFile } from './fingerprint-file.js';

/**
 * Files above this size are streamed (`streamHugeFiles`) instead of read whole: a read Session
 * costs several times its file's size in memory (4.7 GB for a 734 MB pi file), so 64 MiB keeps a
 * whole read well under a few hundred MB. `FORGE_HUGE_FILE_BYTES` changes it.
 */
export const DEFAULT_HUGE_FILE_BYTES = 64 * 1024 * 1024;

/** A file too big to read whole, with the reader that streams it. */
export interface HugeFile {
  reader: SessionSourceReader;
  file: SourceFile;
}

/**
 * Splits the discovered inputs: files above `hugeFileBytes` whose reader links nothing (a linked
 * group, a Claude Code project, needs its sessions whole) go to {@link streamHugeFiles}; the rest
 * stay for `collectSessions`. The huge ones are never stored in the state cache: re-encoding a
 * multi-GB session into SQLite costs as much as reading it again, and an unchanged run is already
 * answered by the run signature without reading any file.
 */
export function splitHugeFiles(discovered: DiscoveredInputs, hugeFileBytes: number): { discovered: DiscoveredInputs; huge: HugeFile[] } {
  const huge: HugeFile[] = [];
  const perReader = discovered.perReader.map(({ reader, files }) => {
    if (reader.link != null) return { reader, files };
    const kept: SourceFile[] = [];
    for (const file of files) {
      if (file.size > hugeFileBytes) huge.push({ reader, file });
      else kept.push(file);
    }
    return { reader, files: kept };
  });
  if (huge.length === 0) return { discovered, huge };
  return { discovered: { perReader, files: perReader.flatMap(({ files }) => files), warnings: discovered.warnings }, huge };
}

/** What {@link streamHugeFiles} read, to add to `collectSessions`' result. */
export interface StreamedFiles {
  inputs: ReadInput[];
  sessionCount: number;
  /** Warnings carried by the sessions. */
  sessionWarnings: number;
  /** Files that gave no session, with why. */
  skippedFiles: { path: string; reason: string }[];
  fileWarnings: SessionWarning[];
}

/**
 * Hands each session of each huge file to `consume` as passes over the file (`sessionPassesOf`),
 * in order; `consume` runs the passes (`DatasetBuilder.addSessionPasses`) and returns the
 * session's head (undefined: there was none). As in `collectSessions`, a file with a file warning
 * (or none and no session) is a skipped file; one that cannot be read becomes such a warning.
 */
export async function streamHugeFiles(huge: readonly HugeFile[], { readOptions = {}, consume }: { readOptions?: ReadFileOptions; consume: (passes: FileSessionPasses, file: SourceFile) => Promise<SessionHead | undefined> }): Promise<StreamedFiles> {
  const result: StreamedFiles = { inputs: [], sessionCount: 0, sessionWarnings: 0, skippedFiles: [], fileWarnings: [] };
  for (const { reader, file } of huge) {
    let sessions = 0;
    const warnings: SessionWarning[] = [];
    try {
      for (const passes of sessionPassesOf(reader, file, { ...readOptions, onFileWarning: (warning) => warnings.push(warning) })) {
        const head = await consume(passes, file);
        if (head == null) continue;
        sessions += 1;
        result.sessionWarnings += head.warnings.length;
      }
    } catch (error) {
      // A reader throws only for what is not bad content (an I/O error): the file is left out, and said so.
      warnings.push({ file: file.path, kind: 'unreadable-file', message: `cannot read file: ${error instanceof Error ? error.message : String(error)}` });
    }
    result.fileWarnings.push(...warnings);
    if (warnings.length > 0 || sessions === 0) result.skippedFiles.push({ path: file.path, reason: warnings[0]?.message ?? 'no conversation in the file' });
    result.sessionCount += sessions;
    result.inputs.push({ path: file.path, source: file.source, size: file.size, fingerprint: await fingerprintFile(file.path, file.size), cached: false });
  }
  return result;
}
