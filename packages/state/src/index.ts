// @forge/state: forge's state database and the incremental read that drives any list of session readers.

export { StateStore } from './state-store.js';
export type { StateHolder, StateStoreOptions } from './state-store.js';
export { FileReadCache } from './file-read-cache.js';
export { StoredHeaderMemo } from './stored-header-memo.js';
export type { CachedFile } from './file-read-cache.js';
export { UnitResultCache } from './unit-result-cache.js';
export type { UnitCacheBlock, UnitCacheEntry, UnitCacheLookup, UnitFileStats } from './unit-result-cache.js';
export { stateMigrations } from './state-migrations.js';
export { StateError } from './state-error.js';
export type { StateErrorCode } from './state-error.js';
export { CollectionTally, collectSessions, discoverInputs, failedUnitRead, isPassedOver, planReadUnits, readUnit } from './collect-sessions.js';
export type { CollectedSessions, CollectOptions, DiscoveredInputs, DiscoverInputsOptions, ReadInput, ReadUnit, ReadUnitOptions, SourceSelection, UnitRead } from './collect-sessions.js';
export { decodeFileRead, encodeFileRead, sessionJsonPieces } from './session-codec.js';
export type { CachedFileRead } from './session-codec.js';
export { fingerprintBytes, fingerprintFile, fingerprintFileSync } from './fingerprint-file.js';
export { shardInputs } from './shard-inputs.js';
export { DEFAULT_HUGE_FILE_BYTES, splitHugeFiles, streamHugeFiles } from './stream-huge-files.js';
export type { HugeFile, StreamedFiles } from './stream-huge-files.js';
export type { InputShard } from './shard-inputs.js';
