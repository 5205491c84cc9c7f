export { opencodeReader, isOpencodeDatabase } from './opencode-reader.js';
export { discoverOpencodeDatabases } from './discover-opencode-databases.js';
export { readOpencodeDatabase } from './read-opencode-database.js';
export { configuredDatabase, opencodeDataDir } from './opencode-roots.js';
