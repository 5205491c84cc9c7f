import { type CommitPatch } from '@forge/schema';
import { type AgentEdit } from './agent-edits.js';

/** How much of what the agent wrote reached its commits. */
export interface CodeSurvival {
  /** Significant lines the agent added (see {@link significantLine}). */
  added: number;
  /** Of those, how many the linked commits add too (each commit line matches once). */
  survived: number;
  /** survived / added; null when the agent added none. */
  share: number | null;
}

/**
 * Code survival (SWE-chat: only 44% of agent-written code survives into commits): of the lines
 * the agent added through edit/write/patch calls, the share its linked commits add. Lines are
 * compared trimmed; lines without a letter or digit or shorter than 4 characters (`}`, `end`) are
 * left out, since they match anything.
 */
export function measureCodeSurvival(edits: readonly AgentEdit[], patches: readonly CommitPatch[]): CodeSurvival {
  const committed = new Map<string, number>();
  for (const patch of patches) {
    for (const file of patch.files) {
      for (const line of file.addedLines) {
        const key = significantLine(line);
        if (key != null) committed.set(key, (committed.get(key) ?? 0) + 1);
      }
    }
  }
  let added = 0;
  let survived = 0;
  for (const edit of edits) {
    for (const line of edit.addedLines) {
      const key = significantLine(line);
      if (key == null) continue;
      added += 1;
      const count = committed.get(key) ?? 0;
      if (count > 0) {
        survived += 1;
        committed.set(key, count - 1);
      }
    }
  }
  return { added, survived, share: added === 0 ? null : Math.round((survived / added) * 10_000) / 10_000 };
}

/** The trimmed line when it says something, else undefined. */
export function significantLine(line: string): string | undefined {
  const trimmed = line.trim();
  return trimmed.length >= 4 && /[\p{L}\p{N}]/u.test(trimmed) ? trimmed : undefined;
}

/** True when a commit's file is a file the agent edited (paths absolute, relative to the worktree, or both). */
export function samePath(editPath: string, commitPath: string): boolean {
  return editPath === commitPath || editPath.endsWith(`/${commitPath}`) || commitPath.endsWith(`/${editPath.replace(/^\.\//u, '')}`);
}
