export { main } from './main.js';
export type { CliIo, ExitCode } from './cli-io.js';
export { exitCodes } from './cli-io.js';
export { FORGE_VERSION } from './version.js';
