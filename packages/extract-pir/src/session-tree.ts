import { type EntryNode, type ParsedPiFile } from './parse-session-file.js';
import { type WarningLog } from '@forge/reader-kit';

/**
 * The current leaf (pi-family.md §2.5): header `leafId` "" = no active path; a `leafId` naming an
 * entry = that entry; otherwise the last entry in file order (the natural tip).
 */
export function activeLeaf(file: ParsedPiFile): EntryNode | undefined {
  const { leafId } = file.header;
  if (leafId === '') return undefined;
  if (leafId != null) {
    const named = file.byId.get(leafId);
    if (named != null) return named;
  }
  return file.entries.at(-1);
}

/** Entries no other entry names as its parent, in file order: one per branch. */
export function leaves(file: ParsedPiFile): EntryNode[] {
  const parents = new Set<string>();
  for (const entry of file.entries) if (entry.parentId != null) parents.add(entry.parentId);
  return file.entries.filter((entry) => !parents.has(entry.id));
}

/** Root-to-leaf path. A missing parent or a cycle stops the walk with a warning, never a hang. */
export function pathTo(file: ParsedPiFile, leaf: EntryNode, warnings: WarningLog): EntryNode[] {
  const path: EntryNode[] = [];
  // No visited set on the common path: a walk longer than the file has entries must have looped,
  // and only then is it redone with one, to name the entry where the cycle closes.
  let current: EntryNode | undefined = leaf;
  while (current != null) {
    if (path.length > file.entries.length) return pathWithCycleCheck(file, leaf, warnings);
    path.push(current);
    const parentId: string | null = current.parentId;
    if (parentId == null) break;
    const parent = file.byId.get(parentId);
    if (parent == null) {
      warnings.add('missing-parent', `entry ${current.id} names parent ${parentId}, which is not in the file; the path starts at ${current.id}`, current.line);
      break;
    }
    current = parent;
  }
  return path.reverse();
}

function pathWithCycleCheck(file: ParsedPiFile, leaf: EntryNode, warnings: WarningLog): EntryNode[] {
  const path: EntryNode[] = [];
  const visited = new Set<string>();
  let current: EntryNode | undefined = leaf;
  while (current != null) {
    if (visited.has(current.id)) {
      warnings.add('cycle', `entry ${current.id} is its own ancestor; the path stops there`, current.line);
      break;
    }
    visited.add(current.id);
    path.push(current);
    const parentId: string | null = current.parentId;
    if (parentId == null) break;
    current = file.byId.get(parentId);
  }
  return path.reverse();
}
