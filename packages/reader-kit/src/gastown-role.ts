import type { GasTownRole } from '@forge/schema';

/** Role, rig and agent name read from a working directory (docs/gastown-beads.md T1). */
export interface GasTownPlace {
  role: GasTownRole;
  rig?: string;
  name?: string;
  townRoot: string;
}

const rigRoles: Record<string, GasTownRole> = { witness: 'witness', refinery: 'refinery', mayor: 'mayor' };

/** Interprets `relative` (the path below a town root) with the cwd rules of `gt` itself. */
function placeBelowTown(relative: string[], townRoot: string): GasTownPlace | undefined {
  const [first, second, third, fourth] = relative;
  if (first == null) return undefined;
  if (first === 'mayor') return { role: 'mayor', townRoot };
  if (first === 'deacon') {
    if (second === 'dogs' && third === 'boot') return { role: 'boot', townRoot };
    if (second === 'dogs' && third != null) return { role: 'dog', name: third, townRoot };
    return { role: 'deacon', townRoot };
  }
  if (second == null) return undefined;
  const rig = first;
  if ((second === 'polecats' || second === 'crew') && third != null) {
    return { role: second === 'polecats' ? 'polecat' : 'crew', rig, name: third, townRoot };
  }
  const rigRole = rigRoles[second];
  if (rigRole != null) return { role: rigRole, rig, townRoot };
  // Worktrees inside a rig's own folder layout: <rig>/polecats/<name>/<rig> is covered above.
  void fourth;
  return undefined;
}

/**
 * Reads the Gas Town role from a working directory such as `/home/ubuntu/gt/myrig/polecats/nux/myrig`
 * (polecat `nux` of rig `myrig`) or `/home/ubuntu/gt/deacon` (the deacon).
 *
 * The town root is the folder holding `mayor/town.json`; from a path alone it is found as the
 * last segment named `gt` (Gas Town's default `~/gt`) whose remainder fits the layout, else the
 * shallowest place where the remainder fits. Returns undefined for paths outside any town layout.
 */
export function gasTownRoleFromCwd(cwd: string): GasTownPlace | undefined {
  const segments = cwd.replaceAll('\\', '/').split('/').filter((segment) => segment !== '' && segment !== '.');
  const townRootAt = (index: number) => `/${segments.slice(0, index + 1).join('/')}`;
  for (let index = segments.length - 1; index >= 0; index -= 1) {
    if (segments[index] !== 'gt') continue;
    const place = placeBelowTown(segments.slice(index + 1), townRootAt(index));
    if (place != null) return place;
  }
  // No `gt` folder: look for the structural markers a town has below its root.
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index];
    const next = segments[index + 1];
    if (segment === 'deacon' || (segment === 'mayor' && next !== 'rig')) {
      return placeBelowTown(segments.slice(index), index === 0 ? '/' : townRootAt(index - 1));
    }
    if (index >= 1 && (segment === 'polecats' || segment === 'crew') && next != null) {
      return placeBelowTown(segments.slice(index - 1), index === 1 ? '/' : townRootAt(index - 2));
    }
    if (index >= 1 && (segment === 'witness' || segment === 'refinery' || (segment === 'mayor' && next === 'rig'))) {
      return placeBelowTown(segments.slice(index - 1), index === 1 ? '/' : townRootAt(index - 2));
    }
  }
  return undefined;
}
