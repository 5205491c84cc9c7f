import type { GasTownContext } from '@forge/schema';
import { gasTownRoleFromCwd } from './gastown-role.js';
import { parseGasTownBeacon } from './gastown-text.js';

export interface DetectGasTownInput {
  /** The session's working directory, from the file's own records (never the lossy folder name). */
  cwd: string;
  /** The first user message: where the startup beacon stands. */
  firstUserText?: string;
  /** The git branch, when the harness records it (`polecat/<name>/<bead>@…`). */
  gitBranch?: string;
}

const polecatBranchPattern = /^polecat\/([^/]+)\/([a-z]{2,8}-[a-z0-9.-]+?)(?:@[a-z0-9]+)?$/u;

/**
 * Gas Town context of a session from its cwd, startup beacon and branch; undefined when the
 * session shows no sign of Gas Town. Readers of every source call this one function.
 */
export function detectGasTown({ cwd, firstUserText, gitBranch }: DetectGasTownInput): GasTownContext | undefined {
  const place = gasTownRoleFromCwd(cwd);
  const beacon = firstUserText == null ? undefined : parseGasTownBeacon(firstUserText);
  const branchMatch = gitBranch == null ? null : polecatBranchPattern.exec(gitBranch);
  if (place == null && beacon == null && branchMatch == null) return undefined;

  const context: GasTownContext = { role: place?.role ?? 'unknown', beadIds: [] };
  if (place?.rig != null) context.rig = place.rig;
  if (place?.name != null) context.name = place.name;
  if (place != null) context.townRoot = place.townRoot;
  if (beacon != null) {
    context.beacon = beacon;
    if (beacon.beadId != null) context.beadIds.push(beacon.beadId);
    if (place == null) fillFromRecipient(context, beacon.recipient);
  }
  if (branchMatch != null) {
    const [, name, beadId] = branchMatch;
    if (context.role === 'unknown') context.role = 'polecat';
    if (context.name == null && name != null) context.name = name;
    if (beadId != null && !context.beadIds.includes(beadId)) context.beadIds.push(beadId);
  }
  return context;
}

// Beacon recipients look like `polecat rust (rig: gastown)`, `gastown/polecats/toast`, `deacon`.
function fillFromRecipient(context: GasTownContext, recipient: string): void {
  const spaced = /^(mayor|deacon|boot|dog|witness|refinery|polecat|crew)\b(?:\s+([\w-]+))?(?:\s*\(rig:\s*([\w-]+)\))?/u.exec(recipient);
  if (spaced != null) {
    const [, role, name, rig] = spaced;
    context.role = role as GasTownContext['role'];
    if (name != null) context.name = name;
    if (rig != null) context.rig = rig;
    return;
  }
  const identity = /^([\w-]+)\/(polecats|crew)\/([\w-]+)$/u.exec(recipient);
  if (identity != null) {
    const [, rig, kind, name] = identity;
    context.role = kind === 'polecats' ? 'polecat' : 'crew';
    if (rig != null) context.rig = rig;
    if (name != null) context.name = name;
    return;
  }
  const rigRole = /^([\w-]+)\/(witness|refinery)$/u.exec(recipient);
  if (rigRole != null) {
    const [, rig, role] = rigRole;
    context.role = role as GasTownContext['role'];
    if (rig != null) context.rig = rig;
  }
}
