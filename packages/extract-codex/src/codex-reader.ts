import { join } from 'node:path';
import { decompressedHead, withDetail, type SessionSourceReader } from '@forge/reader-kit';
import { rolloutFolders } from './codex-roots.js';
import { discoverCodexRollouts } from './discover-codex-rollouts.js';
import { readCodexRollout } from './read-codex-rollout.js';

/**
 * A rollout's first line, as serde writes it: `{"timestamp":…,"ordinal":…,"type":"session_meta"`
 * (0.2x and later; the huge `base_instructions` come after), or the bare `{"id":…,"timestamp":…}`
 * header of the first rollouts (codex.md §2).
 */
const sessionMetaStart = /^\{"timestamp":"[^"]*",(?:"ordinal":\d+,)?"type":"session_meta","payload":\{/u;
const legacyHeaderStart = /^\{"id":"[0-9a-fA-F-]{32,36}","timestamp":"[^"]*"/u;

/** Whether a file's first bytes are a Codex rollout's header (decompressed first when the file is zstd: `.jsonl.zst`). */
export function isCodexRolloutHead(head: Buffer): boolean {
  const start = decompressedHead(head, 512).toString('utf8', 0, 512).replace(/^\uFEFF/u, '');
  return sessionMetaStart.test(start) || legacyHeaderStart.test(start);
}

/** The Codex CLI reader: rollouts under `$CODEX_HOME` (default `~/.codex`), one session per file. */
export const codexReader: SessionSourceReader = {
  name: 'codex',
  sources: ['codex'],
  aliases: { 'codex-cli': 'codex' },
  homeRoots: (home) => rolloutFolders(join(home, '.codex')),
  discover: (options) => discoverCodexRollouts(options),
  detect: (head) => (isCodexRolloutHead(head) ? 'codex' : undefined),
  readFile: (file, options) => withDetail(readCodexRollout(file, options), options?.detail),
};
