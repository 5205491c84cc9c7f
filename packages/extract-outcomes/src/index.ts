export { readOutcomes } from './read-outcomes.js';
export type { ReadOutcomesOptions } from './read-outcomes.js';
export { readCommitPatches, parseShowOutput } from './read-commit-patches.js';
export { locateSessionLines } from './locate-session-lines.js';
export { readBeadsStore } from './read-beads-store.js';
export { decodeBead, decodeMergeRequest } from './decode-bead.js';
export { decodeEventRow, decodeInteraction } from './decode-bead-event.js';
export { findBeadsDir, findTownRoot, followRedirect } from './find-beads-dir.js';
export { estimateEventClockOffset } from './clock-offset.js';
