export { readLineBatches, readLines } from './read-lines.js';
export type { Line, ReadLinesOptions } from './read-lines.js';
export { readJsonLineBatches, readJsonLines } from './read-json-lines.js';
export type { JsonLine } from './read-json-lines.js';
export { gasTownRoleFromCwd } from './gastown-role.js';
export type { GasTownPlace } from './gastown-role.js';
export { parseGasTownBeacon, isGasTownBeacon, isGasTownNudge, findBeadIds } from './gastown-text.js';
export { detectGasTown } from './detect-gastown.js';
export type { DetectGasTownInput } from './detect-gastown.js';
