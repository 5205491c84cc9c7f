import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type WarningLog } from '@forge/reader-kit';
import { knownBeadStatuses, type Bead, type BeadEvent, type BeadsStore, type SessionWarning } from '@forge/schema';
import { estimateEventClockOffset, shiftEvents } from './clock-offset.js';
import { decodeBead } from './decode-bead.js';
import { decodeEventRow, decodeInteraction, type EventProblem } from './decode-bead-event.js';
import { asObject, asText } from './json-fields.js';
import { forEachJsonLine } from './read-jsonl-file.js';
import { isFolder } from './is-folder.js';

/** JSONL files of a `.beads/` folder that never hold issues. */
const nonIssueFiles = new Set(['interactions.jsonl', 'routes.jsonl', 'events.jsonl', 'deletions.jsonl', 'labels.jsonl', 'dependencies.jsonl', 'comments.jsonl', 'config.jsonl', 'metadata.jsonl']);
const knownStatuses = new Set<string>(knownBeadStatuses);

/** Issues a `bd` run already gave (they win over the files). */
export interface ReadBeadsStoreOptions {
  fromBd?: { beads: Bead[] };
}

/**
 * Reads one beads store, read-only: issue exports (`issues.jsonl`, `beads.jsonl` or any JSONL of
 * issue objects in the folder), row dumps (`backup/*.jsonl`, or the folder itself when it is a dump
 * such as `~/.dolt-archive/git/<db>/`), the events table dump and `interactions.jsonl`. Bad lines
 * and unknown statuses become warnings with file:line.
 */
export async function readBeadsStore(dir: string, warnings: SessionWarning[], options: ReadBeadsStoreOptions = {}): Promise<BeadsStore> {
  const beadsById = new Map<string, Bead>();
  const keep = (bead: Bead): void => {
    const known = beadsById.get(bead.id);
    // The newest copy of an issue wins (an export is newer than an old backup, bd beats both).
    if (known == null || (bead.updatedAt ?? '') > (known.updatedAt ?? '')) beadsById.set(bead.id, bead);
  };
  const issueFiles = listIssueFiles(dir);
  if (options.fromBd == null) {
    for (const file of issueFiles) {
      await forEachJsonLine(file, warnings, (value, line, log) => {
        const record = asObject(value);
        const type = asText(record?._type);
        if (type != null && type !== 'issue') return; // e.g. `memory` records of `bd export --memories`
        const bead = decodeBead(value, { file, line });
        if (bead == null) log.addCounted('invalid-record', 'issue', 'line has no issue id; skipped', line);
        else keep(bead);
      });
    }
  }
  for (const bead of options.fromBd?.beads ?? []) beadsById.set(bead.id, bead);
  await addRowRelations(dumpFolders(dir), beadsById, warnings);

  const rowEvents: BeadEvent[] = [];
  for (const folder of dumpFolders(dir)) await readEvents(join(folder, 'events.jsonl'), decodeEventRow, rowEvents, warnings);
  const interactionEvents: BeadEvent[] = [];
  await readEvents(join(dir, 'interactions.jsonl'), decodeInteraction, interactionEvents, warnings);

  const beads = [...beadsById.values()];
  warnUnknownStatuses(beads, rowEvents, interactionEvents, warnings);
  const offset = estimateEventClockOffset(beads, rowEvents);
  if (offset !== 0) {
    warnings.push({ file: join(dir, 'events'), kind: 'other', message: `event times are ${offset / 3_600_000} h behind the issue timestamps (Dolt server-local time); shifted to match` });
  }
  // The events table is the whole trail; interactions.jsonl fills in only for issues it lacks.
  const withRowEvents = new Set(rowEvents.map((event) => event.issueId));
  const events = [...shiftEvents(rowEvents, offset), ...interactionEvents.filter((event) => !withRowEvents.has(event.issueId))];
  events.sort((left, right) => (left.at < right.at ? -1 : left.at > right.at ? 1 : 0));
  const store: BeadsStore = { dir, origin: options.fromBd == null ? 'files' : 'bd', prefixes: prefixesOf(beads), beads, events };
  if (offset !== 0) store.eventClockOffsetMs = offset;
  return store;
}

function listIssueFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.jsonl') && !nonIssueFiles.has(name));
  } catch {
    return [];
  }
  // issues.jsonl first (bd's default export path), then the rest in name order.
  return names.sort((left, right) => (left === 'issues.jsonl' ? -1 : right === 'issues.jsonl' ? 1 : left.localeCompare(right))).map((name) => join(dir, name));
}

/** Folders holding table dumps: `<dir>/backup/` and, for a dump folder given directly, `<dir>` itself. */
function dumpFolders(dir: string): string[] {
  const folders: string[] = [];
  const backup = join(dir, 'backup');
  if (isFolder(backup)) folders.push(backup);
  if (existsSync(join(dir, 'events.jsonl')) || existsSync(join(dir, 'labels.jsonl'))) folders.push(dir);
  return folders;
}


/** Row dumps keep labels and dependencies in their own tables; a backup's `issues.jsonl` holds the rows. */
async function addRowRelations(folders: string[], beadsById: Map<string, Bead>, warnings: SessionWarning[]): Promise<void> {
  for (const folder of folders) {
    if (folder.endsWith('backup')) {
      const rows = new Map<string, Bead>();
      await forEachJsonLine(join(folder, 'issues.jsonl'), warnings, (value, line, log) => {
        const bead = decodeBead(value, { file: join(folder, 'issues.jsonl'), line });
        if (bead == null) log.addCounted('invalid-record', 'issue', 'row has no issue id; skipped', line);
        else rows.set(bead.id, bead);
      });
      for (const [id, bead] of rows) {
        const known = beadsById.get(id);
        if (known == null || (bead.updatedAt ?? '') > (known.updatedAt ?? '')) beadsById.set(id, known == null ? bead : { ...bead, labels: known.labels, dependencies: known.dependencies });
      }
    }
    await forEachJsonLine(join(folder, 'labels.jsonl'), warnings, (value) => {
      const record = asObject(value);
      const bead = beadsById.get(asText(record?.issue_id) ?? '');
      const label = asText(record?.label);
      if (bead != null && label != null && !bead.labels.includes(label)) bead.labels.push(label);
    });
    await forEachJsonLine(join(folder, 'dependencies.jsonl'), warnings, (value) => {
      const record = asObject(value);
      const bead = beadsById.get(asText(record?.issue_id) ?? '');
      const dependsOnId = asText(record?.depends_on_id);
      if (bead == null || dependsOnId == null || bead.dependencies.some((dependency) => dependency.dependsOnId === dependsOnId)) return;
      const type = asText(record?.type) ?? 'blocks';
      bead.dependencies.push({ dependsOnId, type });
      if (type === 'parent-child' && bead.parent == null) bead.parent = dependsOnId;
    });
  }
}

async function readEvents(
  file: string,
  decode: (value: unknown, source: { file: string; line: number }) => BeadEvent | EventProblem,
  into: BeadEvent[],
  warnings: SessionWarning[],
): Promise<void> {
  await forEachJsonLine(file, warnings, (value, line, log: WarningLog) => {
    const decoded = decode(value, { file, line });
    if (!('problem' in decoded)) into.push(decoded);
    else if (decoded.problem === 'unknown-type') log.addCounted('unknown-entry-type', decoded.type, `unknown event type "${decoded.type}"; kept as other`, line);
    else if (!file.endsWith('interactions.jsonl')) log.addCounted('invalid-record', 'event', 'line is not an event row; skipped', line);
  });
}

function warnUnknownStatuses(beads: Bead[], rowEvents: BeadEvent[], interactionEvents: BeadEvent[], warnings: SessionWarning[]): void {
  const seen = new Set<string>();
  const warn = (status: string, file: string, line: number | undefined): void => {
    if (knownStatuses.has(status) || seen.has(`${file}\u0000${status}`)) return;
    seen.add(`${file}\u0000${status}`);
    warnings.push({ file, ...(line == null ? {} : { line }), kind: 'unknown-status', message: `unknown status "${status}" (a custom status?); kept as written, counted as neither open nor closed` });
  };
  for (const bead of beads) warn(bead.status, bead.source.file, bead.source.line);
  for (const event of [...rowEvents, ...interactionEvents]) for (const status of [event.from, event.to]) if (status != null) warn(status, event.source.file, event.source.line);
}

/** Prefixes of the store's ids (`gt` of `gt-k3m9p`). */
function prefixesOf(beads: Bead[]): string[] {
  const prefixes = new Set<string>();
  for (const bead of beads) {
    const dash = bead.id.indexOf('-');
    if (dash > 0) prefixes.add(bead.id.slice(0, dash));
  }
  return [...prefixes].sort();
}
