import { type ScoringView } from '../scoring-view.js';
import { type ToolUse } from '../tool-uses.js';
import { unitScore, type HeuristicReading } from './heuristic-reading.js';

// A later user turn that rejects or redoes the work (its start decides, so a long reply that only
// mentions "no" somewhere does not count).
const correctionPattern =
  /^\s*(?:no\b|nope\b|wrong\b|stop\b|undo\b|revert\b|that'?s (?:not|wrong)|this is (?:not|wrong)|not what i|don'?t\b|do not\b|why did you|you (?:broke|deleted|removed|didn'?t)|try again|it (?:still )?(?:doesn'?t|does not|fails)|still (?:broken|failing|wrong))/iu;
const rejectionPrefix = "The user doesn't want to proceed with this tool use";

/** Human corrections: later user turns that reject or redo the work, and rejected tool calls. Each costs a third. */
export function readCorrections(session: ScoringView, uses: readonly ToolUse[]): HeuristicReading {
  const firstUser = session.messages.findIndex((message) => message.role === 'user' && message.provenance === 'conversation');
  let turns = 0;
  session.messages.forEach((message, index) => {
    if (index > firstUser && message.role === 'user' && message.provenance === 'conversation' && isCorrection(message.text)) turns += 1;
  });
  const rejected = uses.filter((use) => use.result?.isError === true && isRejection(use.result.text)).length;
  const total = turns + rejected;
  const reason = total === 0 ? 'no user turn rejects or redoes the work' : `${turns} correcting user turn${turns === 1 ? '' : 's'}, ${rejected} rejected tool call${rejected === 1 ? '' : 's'}`;
  return { value: total, score: unitScore(1 - total / 3), reason };
}

/** True when a user turn starts by rejecting or redoing the work. */
export function isCorrection(text: string): boolean {
  return correctionPattern.test(text);
}

/** True when a tool result says the user rejected the call (Claude Code's wording). */
export function isRejection(text: string): boolean {
  return text.startsWith(rejectionPrefix);
}
