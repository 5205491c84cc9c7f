import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stand-in's script (see its header: a test double for the beads CLI, which cannot be installed here). */
export const bdStandInScript = fileURLToPath(new URL('./bd-stand-in/bd-stand-in.mjs', import.meta.url));

/**
 * Puts a `bd` executable into `binDir` that runs the bd STAND-IN with this node. Put `binDir` first
 * on an agent's PATH; returns the executable's path.
 */
export function installBdStandIn(binDir: string): string {
  mkdirSync(binDir, { recursive: true });
  const executable = join(binDir, 'bd');
  writeFileSync(executable, `#!/bin/sh\n# Test stand-in for the beads CLI (the real bd cannot be installed here).\nexec '${process.execPath}' '${bdStandInScript}' "$@"\n`);
  chmodSync(executable, 0o755);
  return executable;
}
