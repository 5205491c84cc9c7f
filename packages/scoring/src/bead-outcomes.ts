import { type BeadOutcome, type OutcomeTier } from '@forge/schema';
import { type Attempt, type BeadLifecycle } from './bead-lifecycle.js';
import { type OutcomeIndex } from './index-outcomes.js';
import { type SessionLinkage } from './link-session.js';

/** How far a session's start signal may lie outside an attempt (clock differences, a claim a little after the beacon). */
const placementTolerance = 5 * 60_000;

/** The outcome of every bead the session worked, with which attempt it was and how that attempt ended. */
export function beadOutcomes(linkage: SessionLinkage, index: OutcomeIndex): BeadOutcome[] {
  const outcomes: BeadOutcome[] = [];
  for (const link of linkage.links.beads) {
    if (link.role !== 'worked') continue;
    const lifecycle = index.lifecycle(link.id);
    const started = linkage.starts.get(link.id)?.at ?? linkage.window.start;
    const attempt = placeAttempt(lifecycle, started, linkage.window);
    const repository = linkage.repositoryId == null ? undefined : index.repository(linkage.repositoryId);
    const landed = (repository?.byBead.get(link.id) ?? []).some((commit) => commit.landed);
    const outcome: BeadOutcome = {
      id: link.id,
      status: lifecycle.status,
      attempts: lifecycle.attempts.length,
      firstTry: lifecycle.firstTry,
      reopened: lifecycle.reopened,
      redispatched: lifecycle.redispatched,
      noChanges: lifecycle.noChanges,
      merged: lifecycle.merged || landed,
      attempt: attempt?.number ?? null,
      tier: attempt == null ? null : tierOf(attempt, lifecycle),
      evidence: link.evidence,
    };
    if (lifecycle.bead?.title != null) outcome.title = lifecycle.bead.title;
    if (lifecycle.bead?.issueType != null) outcome.issueType = lifecycle.bead.issueType;
    outcomes.push(outcome);
  }
  return outcomes;
}

/** bd writes times to the second: an event stamped `t` happened in [t, t + 1 s). */
const timestampResolution = 1000;

/**
 * The attempt whose span holds the session's first start signal; else the nearest one within
 * `placementTolerance` (an attempt that began after the signal fits worse than one under way);
 * else the one the session's window overlaps most.
 */
function placeAttempt(lifecycle: BeadLifecycle, startedAt: number, window: SessionLinkage['window']): Attempt | undefined {
  let best: Attempt | undefined;
  const holding = lifecycle.attempts.filter((attempt) => startedAt >= Date.parse(attempt.start) && startedAt < endOf(attempt));
  // Two attempts hold the signal when one ended in the second the next began: the one that
  // ended inside the session was this session's (it closed it); else the later one.
  const endedInside = holding.filter((attempt) => attempt.end != null && endOf(attempt) > window.start && Date.parse(attempt.end) <= window.end);
  best = endedInside.length === 1 ? endedInside[0] : holding[holding.length - 1];
  if (best != null) return best;
  let bestDistance = Infinity;
  for (const attempt of lifecycle.attempts) {
    const from = Date.parse(attempt.start);
    const to = endOf(attempt);
    if (startedAt < from - placementTolerance || startedAt > to + placementTolerance) continue;
    const distance = startedAt >= from ? startedAt - to : (from - startedAt) * 10;
    if (distance < bestDistance) {
      best = attempt;
      bestDistance = distance;
    }
  }
  if (best != null) return best;
  let bestOverlap = 0;
  for (const attempt of lifecycle.attempts) {
    const from = Math.max(window.start, Date.parse(attempt.start));
    const to = Math.min(window.end, attempt.end == null ? window.end : Date.parse(attempt.end));
    if (to - from > bestOverlap) {
      best = attempt;
      bestOverlap = to - from;
    }
  }
  return best;
}

/** The end of an attempt's last second (Infinity while it runs). */
function endOf(attempt: Attempt): number {
  return attempt.end == null ? Infinity : Date.parse(attempt.end) + timestampResolution;
}

/** How an attempt ended, in the light of what came after it. */
function tierOf(attempt: Attempt, lifecycle: BeadLifecycle): OutcomeTier {
  const later = attempt.number < lifecycle.attempts.length;
  switch (attempt.result) {
    case 'closed':
      if (later) return 'reopened';
      if (attempt.number > 1) return 'rework';
      return lifecycle.noChanges ? 'no-changes' : 'first-try';
    case 'reset':
      return later ? 'redispatched' : 'abandoned';
    case 'open':
      return later ? 'abandoned' : 'in-progress';
  }
}

/** Short words for reasons. */
export function describeTier(outcome: BeadOutcome): string {
  const of = `attempt ${outcome.attempt ?? '?'} of ${outcome.attempts}`;
  switch (outcome.tier) {
    case 'first-try':
      return `closed on the first attempt${outcome.merged ? ', merged' : ''}`;
    case 'no-changes':
      return 'closed on the first attempt with no code changes';
    case 'rework':
      return `closed after rework (${of})${outcome.merged ? ', merged' : ''}`;
    case 'reopened':
      return `${of}: closed, then reopened`;
    case 'redispatched':
      return `${of}: taken back and dispatched again`;
    case 'abandoned':
      return `${of}: left without a close`;
    case 'in-progress':
      return `still ${outcome.status} (${of}): outcome not known yet`;
    case null:
      return outcome.status === 'unknown' ? 'not in any beads store read: outcome unknown' : 'attempt could not be placed: outcome unknown';
  }
}
