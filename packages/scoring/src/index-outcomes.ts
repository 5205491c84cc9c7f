import { type Bead, type BeadEvent, type Commit, type Outcomes, type Place, type Repository, type SessionFacets, type TownEvent } from '@forge/schema';
import { buildBeadLifecycle, type BeadLifecycle } from './bead-lifecycle.js';
import { readCommitReferences, type CommitReferences } from './commit-references.js';

/** A repository's commits, indexed for linking. */
export interface RepositoryIndex {
  repository: Repository;
  bySha: Map<string, Commit>;
  /** Commits by the first 7 characters of their sha (what `git commit` prints at least). */
  byShortSha: Map<string, Commit[]>;
  /** Commits whose message names a bead. */
  byBead: Map<string, Commit[]>;
  /** References of every commit. */
  references: Map<string, CommitReferences>;
  /** Commits in author-time order, and their times (for window searches). */
  byAuthorTime: Commit[];
  authorTimes: number[];
}

/**
 * Everything read about outcomes, indexed once per run (or per worker) so that linking one session
 * is a few map lookups. Pure: built from `Outcomes` alone.
 */
export interface OutcomeIndex {
  outcomes: Outcomes;
  /** Id prefixes of every store and route (`gt`, `hq`). */
  prefixes: string[];
  bead(id: string): Bead | undefined;
  /** A bead's events in time order (every store's, duplicates removed). */
  events(id: string): BeadEvent[];
  /** Merge-request beads whose `source_issue` is the bead. */
  mergeRequests(id: string): Bead[];
  /** The bead's attempts and what became of it (memoised). */
  lifecycle(id: string): BeadLifecycle;
  place(cwd: string): Place | undefined;
  repository(id: string): RepositoryIndex | undefined;
  facets(sessionId: string): SessionFacets | undefined;
  /** Town events of a type, in time order; narrowed to one actor, one `payload.target` or one `payload.bead` when asked. */
  townEvents(type: string, only?: { actor?: string; target?: string; bead?: string }): TownEvent[];
  /** The `session_start` event that names this runtime session id. */
  sessionStart(sessionId: string): TownEvent | undefined;
}

/** Builds the index (the commit messages are parsed here, once). */
export function indexOutcomes(outcomes: Outcomes): OutcomeIndex {
  const beads = new Map<string, Bead>();
  const eventsById = new Map<string, BeadEvent[]>();
  const mergeRequestsById = new Map<string, Bead[]>();
  const prefixes = new Set<string>();
  for (const store of outcomes.stores) {
    for (const prefix of store.prefixes) prefixes.add(prefix);
    for (const bead of store.beads) {
      const known = beads.get(bead.id);
      if (known == null || (bead.updatedAt ?? '') > (known.updatedAt ?? '')) beads.set(bead.id, bead);
      const source = bead.mergeRequest?.sourceIssue;
      if (source != null) push(mergeRequestsById, source, bead);
    }
    for (const event of store.events) push(eventsById, event.issueId, event);
  }
  for (const town of outcomes.towns) for (const route of town.routes) prefixes.add(route.prefix.replace(/-$/u, ''));
  for (const [id, events] of eventsById) eventsById.set(id, sortAndDedupe(events));

  const townEventsByKey = new Map<string, TownEvent[]>();
  const sessionStarts = new Map<string, TownEvent>();
  for (const town of outcomes.towns) {
    for (const event of town.events) {
      push(townEventsByKey, event.type, event);
      if (event.actor != null) push(townEventsByKey, `${event.type}\u0000actor\u0000${event.actor}`, event);
      if (typeof event.payload.target === 'string') push(townEventsByKey, `${event.type}\u0000target\u0000${event.payload.target}`, event);
      if (typeof event.payload.bead === 'string') push(townEventsByKey, `${event.type}\u0000bead\u0000${event.payload.bead}`, event);
      const sessionId = event.payload.session_id;
      if (event.type === 'session_start' && typeof sessionId === 'string') sessionStarts.set(sessionId, event);
    }
  }
  for (const list of townEventsByKey.values()) list.sort((left, right) => compare(left.at, right.at));

  const prefixList = [...prefixes].sort();
  const repositories = new Map<string, RepositoryIndex>();
  for (const repository of outcomes.repositories) repositories.set(repository.id, indexRepository(repository, prefixList.length === 0 ? undefined : prefixList));
  const places = new Map(outcomes.places.map((place) => [place.cwd, place]));
  const facets = new Map(outcomes.facets.map((entry) => [entry.sessionId, entry]));
  const lifecycles = new Map<string, BeadLifecycle>();

  const index: OutcomeIndex = {
    outcomes,
    prefixes: prefixList,
    bead: (id) => beads.get(id),
    events: (id) => eventsById.get(id) ?? [],
    mergeRequests: (id) => mergeRequestsById.get(id) ?? [],
    lifecycle: (id) => {
      let lifecycle = lifecycles.get(id);
      if (lifecycle == null) {
        lifecycle = buildBeadLifecycle(id, index);
        lifecycles.set(id, lifecycle);
      }
      return lifecycle;
    },
    place: (cwd) => places.get(cwd),
    repository: (id) => repositories.get(id),
    facets: (sessionId) => facets.get(sessionId),
    townEvents: (type, only) => {
      const [field, value] = only?.actor != null ? ['actor', only.actor] : only?.target != null ? ['target', only.target] : only?.bead != null ? ['bead', only.bead] : [undefined, undefined];
      return townEventsByKey.get(field == null ? type : `${type}\u0000${field}\u0000${value}`) ?? [];
    },
    sessionStart: (sessionId) => sessionStarts.get(sessionId),
  };
  return index;
}

function indexRepository(repository: Repository, prefixes: readonly string[] | undefined): RepositoryIndex {
  const bySha = new Map<string, Commit>();
  const byShortSha = new Map<string, Commit[]>();
  const byBead = new Map<string, Commit[]>();
  const references = new Map<string, CommitReferences>();
  for (const commit of repository.commits) {
    bySha.set(commit.sha, commit);
    push(byShortSha, commit.sha.slice(0, 7), commit);
    const refs = readCommitReferences(commit.message, prefixes);
    references.set(commit.sha, refs);
    for (const id of refs.beads) push(byBead, id, commit);
  }
  const byAuthorTime = [...repository.commits].sort((left, right) => Date.parse(left.authorTime) - Date.parse(right.authorTime) || compare(left.sha, right.sha));
  return { repository, bySha, byShortSha, byBead, references, byAuthorTime, authorTimes: byAuthorTime.map((commit) => Date.parse(commit.authorTime)) };
}

/** The commits authored in [from, to] (ms), oldest first. */
export function commitsAuthoredBetween(index: RepositoryIndex, from: number, to: number): Commit[] {
  let low = 0;
  let high = index.authorTimes.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (index.authorTimes[middle]! < from) low = middle + 1;
    else high = middle;
  }
  const found: Commit[] = [];
  for (let position = low; position < index.authorTimes.length && index.authorTimes[position]! <= to; position += 1) found.push(index.byAuthorTime[position]!);
  return found;
}

function push<TValue>(map: Map<string, TValue[]>, key: string, value: TValue): void {
  const list = map.get(key);
  if (list == null) map.set(key, [value]);
  else list.push(value);
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function sortAndDedupe(events: BeadEvent[]): BeadEvent[] {
  const seen = new Set<string>();
  const unique = events.filter((event) => {
    const key = `${event.at}\u0000${event.kind}\u0000${event.actor ?? ''}\u0000${event.to ?? ''}\u0000${event.reason ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Stable: events of one instant keep their file order.
  return unique.sort((left, right) => compare(left.at, right.at));
}
