export { codexReader, isCodexRolloutHead } from './codex-reader.js';
export { discoverCodexRollouts } from './discover-codex-rollouts.js';
export { readCodexRollout } from './read-codex-rollout.js';
export { codexHome, rolloutFolders } from './codex-roots.js';
