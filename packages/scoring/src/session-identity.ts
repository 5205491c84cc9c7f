import { findPrimeIdentity } from './stdout-markers.js';
import { type OutcomeIndex } from './index-outcomes.js';
import { type ScoringView } from './scoring-view.js';

/** Who ran a session in Gas Town terms, and the evidence for it. */
export interface SessionIdentity {
  /** `gastown/polecats/nux`, `gastown/crew/max`, `mayor` … */
  identity: string;
  /** The name git commits carry for it (polecats and crew commit with their bare name). */
  gitNames: string[];
  /** Patrol and dispatch roles close and update beads they do not own. */
  patrol: boolean;
}

const patrolRoles = new Set(['witness', 'refinery', 'deacon', 'boot', 'dog', 'mayor']);

/**
 * The session's Gas Town identity: from the `gt prime` session line it holds, else the town's
 * `session_start` event for its id, else its cwd/beacon context (gastown-beads.md T1/T2).
 */
export function sessionIdentity(session: ScoringView, index: OutcomeIndex): SessionIdentity | undefined {
  let identity: string | undefined;
  for (const message of session.messages) {
    if (message.role === 'assistant') continue;
    const found = findPrimeIdentity(message.text);
    if (found != null) {
      identity = found.identity;
      break;
    }
  }
  const started = index.sessionStart(session.id);
  if (identity == null && started != null) identity = typeof started.payload.role === 'string' ? started.payload.role : started.actor;
  identity ??= identityFromContext(session);
  if (identity == null) return undefined;
  const parts = identity.split('/');
  const role = parts.length === 3 ? (parts[1] === 'polecats' ? 'polecat' : parts[1] === 'crew' ? 'crew' : parts[1]!) : (parts[parts.length - 1] ?? identity);
  const bareName = parts.length === 3 ? parts[2]! : undefined;
  return { identity, gitNames: bareName == null ? [identity] : [bareName, identity], patrol: patrolRoles.has(role === 'dogs' ? 'dog' : role) || identity.startsWith('deacon') };
}

function identityFromContext(session: ScoringView): string | undefined {
  const context = session.gastown;
  if (context == null) return undefined;
  const { role, rig, name } = context;
  switch (role) {
    case 'polecat':
      return rig != null && name != null ? `${rig}/polecats/${name}` : undefined;
    case 'crew':
      return rig != null && name != null ? `${rig}/crew/${name}` : undefined;
    case 'witness':
    case 'refinery':
      return rig == null ? undefined : `${rig}/${role}`;
    case 'dog':
      return name == null ? undefined : `deacon/dogs/${name}`;
    case 'boot':
      return 'deacon-boot';
    case 'mayor':
    case 'deacon':
      return role;
    case 'overseer':
    case 'unknown':
      return undefined;
  }
}
