import { type CommitOutcome, type SessionScore } from '@forge/schema';

/** The Gas Town roles whose sessions are patrol cycles. */
export const patrolRoles = ['deacon', 'witness', 'refinery'] as const;

/** A patrol cycle becomes a scenario only when it scored at least this (and at least `--min-score`). */
export const defaultPatrolMinScore = 0.7;

/** Which session a scenario is made from: the one that closed a bead (with its commits), or a patrol cycle. */
export type ScenarioChoice =
  | { kind: 'bead'; index: number; bead: { id: string; title: string | null }; tier: string; commits: CommitOutcome[] }
  | { kind: 'patrol'; index: number; role: string };

/** Options of {@link chooseScenarios}. */
export interface ChooseScenariosOptions {
  /** Sessions below this score give no scenario (default 0). */
  minScore?: number;
  /** Only sessions of these Gas Town roles (default all). */
  roles?: readonly string[];
}

const closing = new Set(['first-try', 'no-changes', 'rework']);

/**
 * One scenario per closed bead with a linked commit naming it (the best-scored closing session),
 * and one per patrol cycle (deacon, witness, refinery) scoring at least {@link defaultPatrolMinScore};
 * `entries` give each session's score and role, in a fixed order. Pure and deterministic.
 */
export function chooseScenarios(entries: readonly { score: SessionScore; role: string }[], options: ChooseScenariosOptions = {}): ScenarioChoice[] {
  const minScore = options.minScore ?? 0;
  const roles = options.roles == null ? undefined : new Set(options.roles);
  const byBead = new Map<string, Extract<ScenarioChoice, { kind: 'bead' }>>();
  const patrols: ScenarioChoice[] = [];
  entries.forEach(({ score, role }, index) => {
    if (score.score < minScore || (roles != null && !roles.has(role))) return;
    if ((patrolRoles as readonly string[]).includes(role)) {
      if (score.score >= Math.max(minScore, defaultPatrolMinScore)) patrols.push({ kind: 'patrol', index, role });
      return;
    }
    for (const bead of score.outcome?.beads ?? []) {
      if (bead.tier == null || !closing.has(bead.tier)) continue;
      const commits = (score.outcome?.commits ?? []).filter((commit) => commit.beads.includes(bead.id));
      if (commits.length === 0) continue;
      const known = byBead.get(bead.id);
      if (known != null && entries[known.index]!.score.score >= score.score) continue;
      byBead.set(bead.id, { kind: 'bead', index, bead: { id: bead.id, title: bead.title ?? null }, tier: bead.tier, commits });
    }
  });
  return [...[...byBead.values()].sort((left, right) => left.bead.id.localeCompare(right.bead.id)), ...patrols];
}
