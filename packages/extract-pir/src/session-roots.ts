import { homedir } from 'node:os';
import { join } from 'node:path';

/** A folder of pi-family sessions and which family writes it. */
export interface PiSessionRoot {
  path: string;
  /** `pi`: pir and TS pi (`~/.pi/agent/sessions`); `omp`: oh-my-pi (`~/.omp/agent/sessions`). */
  kind: 'pi' | 'omp';
}

/** Where the environment says sessions live (pi-family.md §1.1, claude-code.md §10.2). */
export function defaultPiSessionRoots(env: Record<string, string | undefined>, homeDirectory: string = homedir()): PiSessionRoot[] {
  const piRoot =
    nonEmpty(env.PI_SESSIONS_DIR) ??
    (nonEmpty(env.PI_CODING_AGENT_DIR) == null ? join(homeDirectory, '.pi', 'agent', 'sessions') : join(env.PI_CODING_AGENT_DIR as string, 'sessions'));
  const ompAgentDirectory = nonEmpty(env.OMP_CODING_AGENT_DIR) ?? join(homeDirectory, '.omp', 'agent');
  return [
    { path: piRoot, kind: 'pi' },
    { path: join(ompAgentDirectory, 'sessions'), kind: 'omp' },
  ];
}

/** A root given as a bare path is an omp root when it sits under a `.omp` folder. */
export function toRoot(root: string | PiSessionRoot): PiSessionRoot {
  if (typeof root !== 'string') return root;
  return { path: root, kind: /[\\/]\.omp[\\/]/u.test(`${root}/`) ? 'omp' : 'pi' };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value == null || value === '' ? undefined : value;
}
