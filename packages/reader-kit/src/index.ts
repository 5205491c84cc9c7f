export { readLineBatches, readLines } from './read-lines.js';
export type { Line } from './read-lines.js';
export { rawLineBatchesOf, readRawLineBatches } from './read-raw-line-batches.js';
export type { RawLineBatch, ReadLinesOptions } from './read-raw-line-batches.js';
export { readJsonLineBatches, readJsonLines } from './read-json-lines.js';
export type { JsonLine } from './read-json-lines.js';
export { gasTownRoleFromCwd } from './gastown-role.js';
export type { GasTownPlace } from './gastown-role.js';
export { parseGasTownBeacon, isGasTownBeacon, isGasTownNudge, findBeadIds, findBeadIdCandidates } from './gastown-text.js';
export { detectGasTown } from './detect-gastown.js';
export type { DetectGasTownInput } from './detect-gastown.js';
export { WarningLog } from './warning-log.js';
export type {
  DiscoverOptions,
  FileSessions,
  HeaderMemo,
  JsonValue,
  ReaderLocation,
  ReadFileOptions,
  SessionHead,
  SessionSourceReader,
  SourceEvent,
  SourceFile,
} from './session-source.js';
export { foldSessions, SessionFold, sessionEvents, sessionWithMessages } from './fold-sessions.js';
export type { FoldedSessions } from './fold-sessions.js';
export { readSourceSessions } from './read-source-sessions.js';
export { withDetail } from './with-detail.js';
export { sessionPassesOf } from './session-passes.js';
export type { FileSessionPasses, SessionPassesOptions } from './session-passes.js';
export type { ReadSourceSessionsOptions } from './read-source-sessions.js';
export { headRecords } from './head-records.js';
export type { HeadRecords } from './head-records.js';
export { reportBadLine } from './report-bad-line.js';
export type { BadLineWording } from './report-bad-line.js';
export { GrowableTypedArray } from './growable-typed-array.js';
export type { NumberArray } from './growable-typed-array.js';
export { SessionTally } from './session-tally.js';
export { ReaderPool } from './reader-pool.js';
export { WorkerPool } from './worker-pool.js';
export { ReaderPoolError } from './reader-pool-error.js';
export { isJsonObject, stringField, tokenCount } from './json-fields.js';
export type { JsonObject } from './json-fields.js';
export { toolResultMessage } from './tool-result-message.js';
export type { ToolResultFacts } from './tool-result-message.js';
export { emptyOrUnreadable } from './file-preflight.js';
export { FILE_HEAD_BYTES, readFileHead, readFileHeadSync } from './read-file-head.js';
export { readSmallFile, WHOLE_FILE_BYTES } from './read-small-file.js';
export { decompressedHead, decompressZstd, isZstd } from './decompress-zstd.js';
export { CompressedFileError } from './compressed-file-error.js';
