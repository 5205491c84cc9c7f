import { type Bead, type BeadEvent } from '@forge/schema';
import { type OutcomeIndex } from './index-outcomes.js';

/** One go at a bead: from a claim, dispatch or reopen to a close, a reset, or still running. */
export interface Attempt {
  /** 1-based, in time order. */
  number: number;
  /** Who worked it: the assignee a dispatch set, or the actor who claimed it. */
  agent?: string;
  /** ISO times. */
  start: string;
  end?: string;
  /** `closed`; `reset`: put back to open or taken over by another agent; `open`: not over yet. */
  result: 'closed' | 'reset' | 'open';
  closeReasons: string[];
}

/** Everything that happened to a bead, from its events (or, lacking them, its current state). */
export interface BeadLifecycle {
  id: string;
  bead?: Bead;
  /** Current status; `unknown` when no store holds the bead. */
  status: string;
  attempts: Attempt[];
  /** A close was followed by more work (`reopened` event, or a status change away from closed). */
  reopened: boolean;
  /** An attempt was reset and the bead dispatched again. */
  redispatched: boolean;
  /** The final close carried a `no-changes:` reason. */
  noChanges: boolean;
  /** Closed `Merged in …` or its merge request merged. */
  merged: boolean;
  /** Closed on the first attempt, never reopened. */
  firstTry: boolean;
}

const working = new Set(['in_progress', 'hooked']);
const noChangesPattern = /^no-changes\b|no code changes/iu;

/** The lifecycle of one bead (see {@link BeadLifecycle}); pure. */
export function buildBeadLifecycle(id: string, index: OutcomeIndex): BeadLifecycle {
  const bead = index.bead(id);
  const events = index.events(id).filter((event) => event.kind === 'status' || event.kind === 'closed' || event.kind === 'reopened');
  const attempts = events.length > 0 ? attemptsFromEvents(events) : attemptsFromState(id, bead, index);
  const status = bead?.status ?? (events.length > 0 ? (events[events.length - 1]!.to ?? 'unknown') : 'unknown');
  const closeReasons = attempts.flatMap((attempt) => attempt.closeReasons);
  const lastAttempt = attempts[attempts.length - 1];
  const reopened = attempts.some((attempt, position) => attempt.result === 'closed' && position < attempts.length - 1) || events.some((event) => event.kind === 'reopened');
  const redispatched = attempts.some((attempt, position) => attempt.result === 'reset' && position < attempts.length - 1);
  const finalReasons = lastAttempt?.closeReasons ?? [];
  const mergeRequests = index.mergeRequests(id);
  const merged =
    closeReasons.some((reason) => reason.startsWith('Merged in ')) ||
    (bead?.closeReason?.startsWith('Merged in ') ?? false) ||
    mergeRequests.some((request) => request.mergeRequest?.mergeCommit != null || request.mergeRequest?.closeReason === 'merged' || request.closeReason === 'merged');
  return {
    id,
    ...(bead == null ? {} : { bead }),
    status,
    attempts,
    reopened,
    redispatched,
    noChanges: status === 'closed' && (finalReasons.some((reason) => noChangesPattern.test(reason)) || noChangesPattern.test(bead?.closeReason ?? '')),
    merged,
    firstTry: status === 'closed' && attempts.length === 1 && !reopened,
  };
}

function attemptsFromEvents(events: BeadEvent[]): Attempt[] {
  const attempts: Attempt[] = [];
  let current: Attempt | undefined;
  let status = 'open';
  const start = (event: BeadEvent, agent: string | undefined): void => {
    current = { number: attempts.length + 1, start: event.at, result: 'open', closeReasons: [], ...(agent == null ? {} : { agent }) };
    attempts.push(current);
  };
  for (const event of events) {
    const to = event.kind === 'closed' ? 'closed' : (event.to ?? status);
    if (to === 'closed') {
      if (current == null && status !== 'closed') start(event, event.actor);
      if (current != null) {
        current.result = 'closed';
        current.end = event.at;
        current = undefined;
      }
      // A close of a closed bead (the refinery's `Merged in …`) belongs to the last attempt.
      const last = attempts[attempts.length - 1];
      if (last != null && event.reason != null) last.closeReasons.push(event.reason);
    } else if (working.has(to)) {
      // hooked carries the dispatched agent as assignee; a claim's actor is the worker.
      const agent = event.assignee ?? (to === 'in_progress' ? event.actor : undefined);
      if (current == null) start(event, agent);
      else if (agent != null && current.agent != null && agent !== current.agent) {
        current.result = 'reset';
        current.end = event.at;
        start(event, agent);
      } else if (current.agent == null && agent != null) current.agent = agent;
    } else if (to === 'open' && current != null) {
      current.result = 'reset';
      current.end = event.at;
      current = undefined;
    }
    status = to;
  }
  return attempts;
}

/** Without events: town `sling` events and the bead's own `started_at`/`closed_at`/status. */
function attemptsFromState(id: string, bead: Bead | undefined, index: OutcomeIndex): Attempt[] {
  const attempts: Attempt[] = [];
  for (const sling of index.townEvents('sling', { bead: id })) {
    const previous = attempts[attempts.length - 1];
    if (previous != null) {
      previous.result = 'reset';
      previous.end = sling.at;
    }
    const target = sling.payload.target;
    attempts.push({ number: attempts.length + 1, start: sling.at, result: 'open', closeReasons: [], ...(typeof target === 'string' ? { agent: target } : {}) });
  }
  if (bead == null) return attempts;
  if (attempts.length === 0 && (bead.startedAt != null || bead.status === 'closed' || working.has(bead.status))) {
    const startedAt = bead.startedAt ?? bead.closedAt ?? bead.updatedAt ?? bead.createdAt ?? new Date(0).toISOString();
    attempts.push({ number: 1, start: startedAt, result: 'open', closeReasons: [], ...(bead.assignee == null ? {} : { agent: bead.assignee }) });
  }
  const last = attempts[attempts.length - 1];
  if (last != null && bead.status === 'closed') {
    last.result = 'closed';
    if (bead.closedAt != null) last.end = bead.closedAt;
    if (bead.closeReason != null) last.closeReasons.push(bead.closeReason);
  } else if (last != null && bead.status === 'open') {
    last.result = 'reset';
  }
  return attempts;
}
