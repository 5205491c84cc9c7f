export { geminiReader, isGeminiHead } from './gemini-reader.js';
export { discoverGeminiSessions } from './discover-gemini-sessions.js';
export type { GeminiFileKind } from './discover-gemini-sessions.js';
export { readGeminiFile } from './read-gemini-file.js';
export { geminiDir, projectsFolder } from './gemini-roots.js';
