export { discoverClaudeSessions, claudeConfigRoots } from './discover-claude-sessions.js';
export type { ClaudeSessionFile, DiscoverClaudeSessionsOptions } from './discover-claude-sessions.js';
export { readClaudeSession } from './read-claude-session.js';
export type { ReadClaudeSessionOptions } from './read-claude-session.js';
export { extractClaudeSessions } from './extract-claude-sessions.js';
export type { ExtractClaudeSessionsOptions } from './extract-claude-sessions.js';
export { ClaudeExtractError } from './claude-extract-error.js';
export type { ClaudeExtractErrorCode } from './claude-extract-error.js';
