import { findBeadIds } from '@forge/reader-kit';

/** What a commit message says about beads and who made it. */
export interface CommitReferences {
  /** Bead ids named as `(<id>)`, `(<id>, <id>)` or on `Fixes:`/`Closes:`/`Resolves:` lines. */
  beads: string[];
  /** `Executed-By:` trailers (bd's prepare-commit-msg hook writes the BD_ACTOR identity). */
  executedBy: string[];
  /** `Co-Authored-By:` names, lower-cased (`claude`). */
  coAuthors: string[];
}

const refLinePattern = /^\s*(?:fixes|closes|resolves|refs|bead|issue)\s*:\s*(.+)$/gimu;
const parenthesesPattern = /\(([^()\n]{3,200})\)/gu;

/**
 * The bead references and trailers of a commit message (gastown-beads.md §4: polecats write
 * `<type>: <description> (<bead>)`; bodies carry `Fixes:`/`Closes:` lines). Mentions in running
 * prose are not references. `prefixes` restricts ids to known stores (else ids need a digit).
 */
export function readCommitReferences(message: string, prefixes?: readonly string[]): CommitReferences {
  const beads = new Set<string>();
  const add = (text: string): void => {
    for (const id of findBeadIds(text, prefixes)) beads.add(id);
  };
  for (const match of message.matchAll(parenthesesPattern)) {
    // Only lists of ids: `(gt-a, gt-b)`, not `(see gt-a for why)`.
    const inner = match[1]!;
    if (/^\s*[a-z][a-z0-9]*-[a-z0-9.-]+(?:\s*[,;]\s*[a-z][a-z0-9]*-[a-z0-9.-]+)*\s*$/u.test(inner)) add(inner);
  }
  for (const match of message.matchAll(refLinePattern)) add(match[1]!);
  const executedBy: string[] = [];
  const coAuthors: string[] = [];
  for (const line of message.split('\n')) {
    const executed = /^\s*Executed-By:\s*(\S+)\s*$/iu.exec(line);
    if (executed != null) executedBy.push(executed[1]!);
    const coAuthor = /^\s*Co-Authored-By:\s*([^<]+?)\s*(?:<|$)/iu.exec(line);
    if (coAuthor != null) coAuthors.push(coAuthor[1]!.toLowerCase());
  }
  return { beads: [...beads], executedBy, coAuthors };
}
