import { dirname } from 'node:path';
import { type Bead, type SessionWarning } from '@forge/schema';
import { decodeBead } from './decode-bead.js';
import { asObject } from './json-fields.js';
import { runProgram } from './run-program.js';

/** How to run bd for one store. */
export interface BdRun {
  /** The bd executable. */
  bd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The store's issues from the bd CLI, read-only: `bd --readonly list --all --json` (every status,
 * no limit), then `bd --readonly show --json <ids>` for wanted ids the list lacks (wisps, other
 * rigs). bd finds its database from `BEADS_DIR`. Undefined when bd fails: the caller falls back to
 * the files and says so.
 */
export async function readWithBd(storeDir: string, wantedIds: readonly string[], run: BdRun, warnings: SessionWarning[]): Promise<{ beads: Bead[] } | undefined> {
  const options = { cwd: dirname(storeDir), env: { ...run.env, BEADS_DIR: storeDir }, timeoutMs: 120_000 };
  const listed = await runProgram(run.bd, ['--readonly', 'list', '--all', '--json'], options);
  const issues = listed.exitCode === 0 ? parseBdJson(listed.stdout) : undefined;
  if (issues == null) {
    const why = listed.failure ?? (listed.exitCode === 0 ? 'its output is not the JSON list bd writes' : `exit code ${listed.exitCode}: ${firstLine(listed.stderr)}`);
    warnings.push({ file: storeDir, kind: 'tool-unavailable', message: `bd list --all --json failed (${why}); reading the store's JSONL files instead` });
    return undefined;
  }
  const beads = decodeAll(issues, `bd list --all --json (${storeDir})`);
  const known = new Set(beads.map((bead) => bead.id));
  const missing = [...new Set(wantedIds)].filter((id) => !known.has(id)).sort();
  if (missing.length > 0) {
    const shown = await runProgram(run.bd, ['--readonly', 'show', '--json', ...missing], options);
    // bd show exits non-zero when one id is unknown but still prints the others.
    const details = parseBdJson(shown.stdout);
    if (details != null) beads.push(...decodeAll(details, `bd show --json (${storeDir})`).filter((bead) => !known.has(bead.id)));
  }
  return { beads };
}

/** bd's `--json` output: an array, `{schema_version, data: [...]}` (BD_JSON_ENVELOPE=1) or `{issues: [...]}` (--skip-labels). */
function parseBdJson(stdout: string): unknown[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  if (Array.isArray(parsed)) return parsed as unknown[];
  const record = asObject(parsed);
  if (Array.isArray(record?.data)) return record.data as unknown[];
  if (Array.isArray(record?.issues)) return record.issues as unknown[];
  return undefined;
}

function decodeAll(values: unknown[], file: string): Bead[] {
  const beads: Bead[] = [];
  for (const value of values) {
    const bead = decodeBead(value, { file });
    if (bead != null) beads.push(bead);
  }
  return beads;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
