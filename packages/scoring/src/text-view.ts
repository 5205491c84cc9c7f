import { findBeadIdCandidates } from '@forge/reader-kit';
import { isCorrection, isRejection } from './signals/correction-signal.js';
import { findCommitLines, findJsonId, findMarkers, findPrimeIdentity } from './stdout-markers.js';

/** What stands for the words of a text a scoring view does not keep: not blank, and matched by no reader. */
export const elided = '…';

/**
 * A message's or tool result's text as a scoring view keeps it. Scoring reads texts through a few
 * readers: bd/gt stdout markers, `git commit` lines and the Gas Town session line (linking and
 * identity), the JSON id of a beads MCP create, the rejected-call prefix and a correcting user
 * turn's start (corrections). A text any of them matches is kept whole: such texts are few and
 * short. Of every other text (file reads, long command output, prose) only two things are read:
 * the bead ids it mentions (linking lists them; which of them count is known only once the beads
 * stores' prefixes are, so every id-shaped word is kept) and whether it is blank (completion). So
 * it becomes `…` and its id-shaped words, and a blank text becomes empty.
 */
export function textView(text: string): string {
  if (text.trim() === '') return '';
  if (isRejection(text) || isCorrection(text) || findPrimeIdentity(text) != null || findJsonId(text) != null) return text;
  if (findMarkers(text).length > 0 || findCommitLines(text).length > 0) return text;
  const ids = findBeadIdCandidates(text);
  return ids.length === 0 ? elided : `${elided}\n${ids.join(' ')}`;
}
