import { type PreparedConversation } from '../conversation/prepared-conversation.js';
import { type PreferenceItem } from '../formats/dataset-format.js';
import { type SkippedItem } from '../session/process-session.js';
import { type PairPlan } from './plan-pairs.js';
import { splitPair } from './split-pair.js';

/** Where preference material is kept among a session's rows: its whole redacted, prepared conversation. */
export const preferenceMaterialKey = '#preference-material';

/**
 * The plan's items joined with their sessions' conversations (`conversationOf` gives a kept or
 * duplicate-dropped session's redacted conversation, undefined when it was skipped), in plan order;
 * pairs that cannot be split or repeat an earlier pair word for word are left out with the reason.
 */
export function preferenceItems(plan: PairPlan, conversationOf: (source: string, sessionId: string) => PreparedConversation | undefined): { items: PreferenceItem[]; skipped: SkippedItem[] } {
  const items: PreferenceItem[] = [];
  const skipped: SkippedItem[] = plan.notes.map((note) => ({ kind: 'row', ref: `pairs:${note.ref}`, reason: note.reason }));
  const seen = new Map<string, string>();
  for (const pair of plan.pairs) {
    const ref = `pair:${pair.chosen.source}:${pair.chosen.sessionId}>${pair.rejected.source}:${pair.rejected.sessionId}`;
    const chosen = conversationOf(pair.chosen.source, pair.chosen.sessionId);
    const rejected = conversationOf(pair.rejected.source, pair.rejected.sessionId);
    if (chosen == null || rejected == null) {
      skipped.push({ kind: 'row', ref, reason: `the ${chosen == null ? 'chosen' : 'rejected'} session gave no conversation (skipped, or not whole in one token window)` });
      continue;
    }
    const split = splitPair(pair.kind, chosen, rejected);
    if (!split.ok) {
      skipped.push({ kind: 'row', ref, reason: split.reason });
      continue;
    }
    const text = JSON.stringify([split.pair.prompt.system, split.pair.prompt.turns, split.pair.chosen, split.pair.rejected]);
    const earlier = seen.get(text);
    if (earlier != null) {
      skipped.push({ kind: 'row', ref, reason: `exact duplicate of ${earlier}` });
      continue;
    }
    seen.set(text, ref);
    items.push({ kind: 'pair', pair, conversation: split.pair });
  }
  for (const single of plan.singles) {
    const conversation = conversationOf(single.session.source, single.session.sessionId);
    const start = conversation?.turns.findIndex((turn) => turn.role === 'user') ?? -1;
    if (conversation == null || start < 0 || start === conversation.turns.length - 1) {
      skipped.push({ kind: 'row', ref: `single:${single.session.source}:${single.session.sessionId}`, reason: conversation == null ? 'the session gave no conversation' : 'no turns after the assignment' });
      continue;
    }
    items.push({ kind: 'single', single, prompt: { ...conversation, turns: conversation.turns.slice(0, start + 1) }, completion: conversation.turns.slice(start + 1) });
  }
  return { items, skipped };
}
