import { summarizeSession, type Session } from '@forge/schema';
import { SynthError } from './synth-error.js';
import { oneOf, splitList, synthRoles, type SynthRole } from './synth-options.js';

/** Sessions and assistant turns of one group. */
export interface DistributionRow {
  key: string;
  sessions: number;
  assistantTurns: number;
  /** Share of all sessions, 0–1. */
  share: number;
}

/** One role's place in the plan. */
export interface RoleGapRow extends DistributionRow {
  role: SynthRole;
  /** The wanted share of role sessions, 0–1. */
  targetShare: number;
  /** Sessions of this role to generate so every role reaches its target without dropping any. */
  toGenerate: number;
}

/** What `forge synth plan` shows. */
export interface RoleGapPlan {
  sessions: number;
  /** `default`: even over the roles present; `given`: from the caller. */
  targetSource: 'default' | 'given';
  roles: RoleGapRow[];
  /** Today's distribution by Gas Town role (`none` = not a Gas Town session), thinking, harness and model. */
  byRole: DistributionRow[];
  byThinking: DistributionRow[];
  byHarness: DistributionRow[];
  byModel: DistributionRow[];
  toGenerate: number;
  notes: string[];
}

/** Options of {@link planRoleGaps}. */
export interface PlanRoleGapsOptions {
  /** Wanted share per role; need not sum to 1 (it is normalised). Default: even over the roles present. */
  target?: Partial<Record<SynthRole, number>>;
}

/**
 * Compares the sessions' distribution over Gas Town roles with a target and says how many
 * sessions of each role to generate: the smallest numbers that bring every role to its target
 * share without removing any session (the role furthest above its share sets the total).
 */
export function planRoleGaps(sessions: readonly Session[], options: PlanRoleGapsOptions = {}): RoleGapPlan {
  const summaries = sessions.map((session) => ({ session, summary: summarizeSession(session) }));
  const group = (keyOf: (session: Session) => string): DistributionRow[] => {
    const rows = new Map<string, { sessions: number; assistantTurns: number }>();
    for (const { session, summary } of summaries) {
      const key = keyOf(session);
      const row = rows.get(key) ?? { sessions: 0, assistantTurns: 0 };
      row.sessions += 1;
      row.assistantTurns += summary.assistantTurns;
      rows.set(key, row);
    }
    return [...rows]
      .map(([key, row]) => ({ key, ...row, share: sessions.length === 0 ? 0 : row.sessions / sessions.length }))
      .sort((left, right) => right.sessions - left.sessions || left.key.localeCompare(right.key));
  };
  const roleOf = (session: Session) => session.gastown?.role ?? 'none';
  const byRole = group(roleOf);
  const notes: string[] = [];

  const present = synthRoles.filter((role) => byRole.some((row) => row.key === role));
  const given = options.target != null && Object.keys(options.target).length > 0;
  const rawTarget: Partial<Record<SynthRole, number>> = given ? options.target! : Object.fromEntries(present.map((role) => [role, 1]));
  const targetSum = Object.values(rawTarget).reduce((total, share) => total + (share ?? 0), 0);
  if (!given && present.length === 0) notes.push('no session has a Gas Town role: pass a target (--target witness=1,polecat=2) to plan generation');
  if (given && Math.abs(targetSum - 1) > 1e-9 && targetSum > 0) notes.push(`target shares sum to ${round(targetSum)}; normalised to 1`);

  const counts = new Map(synthRoles.map((role) => [role, byRole.find((row) => row.key === role)]));
  const targetOf = (role: SynthRole) => (targetSum > 0 ? (rawTarget[role] ?? 0) / targetSum : 0);
  // The total the role sessions must grow to: every targeted role's count over its share.
  const total = Math.max(0, ...synthRoles.filter((role) => targetOf(role) > 0).map((role) => (counts.get(role)?.sessions ?? 0) / targetOf(role)));
  const roleSessions = synthRoles.reduce((sum, role) => sum + (counts.get(role)?.sessions ?? 0), 0);
  const roles = synthRoles
    .filter((role) => targetOf(role) > 0 || counts.get(role) != null)
    .map((role): RoleGapRow => {
      const row = counts.get(role);
      const have = row?.sessions ?? 0;
      return {
        role,
        key: role,
        sessions: have,
        assistantTurns: row?.assistantTurns ?? 0,
        share: roleSessions === 0 ? 0 : have / roleSessions,
        targetShare: targetOf(role),
        toGenerate: Math.max(0, Math.ceil(targetOf(role) * total - have - 1e-9)),
      };
    });
  if (total === 0 && targetSum > 0) notes.push('none of the targeted roles has a session yet: the plan has nothing to scale from; choose counts with forge synth run --count');

  return {
    sessions: sessions.length,
    targetSource: given ? 'given' : 'default',
    roles,
    byRole,
    byThinking: group((session) => (thinkingOn(session) ? 'on' : 'off')),
    byHarness: group((session) => session.source),
    byModel: group((session) => session.models[0] ?? '(none)'),
    toGenerate: roles.reduce((sum, row) => sum + row.toGenerate, 0),
    notes,
  };
}

/**
 * Parses `--target witness=0.2,polecat=0.5` (shares, or weights such as `witness=1,polecat=3`).
 *
 * @throws SynthError `usage` for an unknown role, a repeated role or a share that is not a number ≥ 0.
 */
export function parseTargetShares(text: string): Partial<Record<SynthRole, number>> {
  const target: Partial<Record<SynthRole, number>> = {};
  for (const part of splitList(text)) {
    const [name = '', value = '', ...rest] = part.split('=');
    const role = oneOf(name.trim(), synthRoles, 'role in --target');
    const share = Number(value);
    if (rest.length > 0 || value.trim() === '' || !Number.isFinite(share) || share < 0) {
      throw new SynthError({ message: `bad target ${JSON.stringify(part)}`, code: 'usage', hint: 'write role=share, e.g. witness=0.2,polecat=0.5' });
    }
    if (target[role] != null) throw new SynthError({ message: `role ${role} appears twice in --target`, code: 'usage' });
    target[role] = share;
  }
  return target;
}

/**
 * A session thinks when an answer carries reasoning (present, or hollow: signed but not stored).
 * The thinking level alone says little: pi records `medium` for models that never think.
 */
function thinkingOn(session: Session): boolean {
  return session.messages.some((message) => message.role === 'assistant' && message.reasoning.state !== 'absent');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
