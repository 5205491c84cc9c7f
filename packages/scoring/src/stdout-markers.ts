// The stdout lines bd, gt and git print when a state change succeeded (gastown-beads.md T8).
// bd colours the check mark; ANSI codes are stripped before matching.
import { stripVTControlCharacters } from 'node:util';

const idPart = '([a-z][a-z0-9]*-[a-z0-9.-]+?)';

/** Markers and the action each confirms. */
const markerPatterns: { action: MarkerAction; pattern: RegExp }[] = [
  { action: 'created', pattern: new RegExp(`^\\s*✓ Created issue: ${idPart}(?:\\s+—|\\s*$)`, 'u') },
  { action: 'updated', pattern: new RegExp(`^\\s*✓ Updated issue: ${idPart}(?:\\s+—|\\s*$)`, 'u') },
  { action: 'closed', pattern: new RegExp(`^\\s*✓ Closed ${idPart}(?:\\s+—|:|\\s*$)`, 'u') },
  { action: 'reopened', pattern: new RegExp(`^\\s*↻ Reopened ${idPart}(?::|\\s*$)`, 'u') },
  // gt done: `Issue: <id>` under `✓ Work submitted to merge queue`, or the no-commit path.
  { action: 'done', pattern: new RegExp(`^\\s*Issue: ${idPart}\\s*$`, 'u') },
  { action: 'done', pattern: new RegExp(`^\\s*Issue ${idPart} closed \\(no MR needed\\)`, 'u') },
  // gt prime / gt hook: the hooked bead.
  { action: 'hooked', pattern: new RegExp(`^\\s*Bead ID: ${idPart}\\s*$`, 'u') },
];

export type MarkerAction = 'created' | 'updated' | 'closed' | 'reopened' | 'done' | 'hooked';

/** One marker found in a command's output. */
export interface Marker {
  action: MarkerAction;
  id: string;
  /** The line as printed (without colours). */
  line: string;
}

/** Every bd/gt success marker in a text, in order. */
export function findMarkers(text: string): Marker[] {
  const markers: Marker[] = [];
  if (!/[✓↻]|Issue|Bead ID/u.test(text)) return markers;
  for (const raw of stripVTControlCharacters(text).split('\n')) {
    for (const { action, pattern } of markerPatterns) {
      const match = pattern.exec(raw);
      if (match?.[1] != null) markers.push({ action, id: match[1].replace(/[.-]+$/u, ''), line: raw.trim() });
    }
  }
  return markers;
}

/** `[<branch> <sha>] <subject>` (or `[<branch> (root-commit) <sha>]`) printed by `git commit`. */
export function findCommitLines(text: string): { branch: string; sha: string; subject: string; line: string }[] {
  const found: { branch: string; sha: string; subject: string; line: string }[] = [];
  // Most texts (every message a scoring view keeps a word of) hold no `]`: no line of theirs can match.
  if (!text.includes(']')) return found;
  for (const raw of stripVTControlCharacters(text).split('\n')) {
    const match = /^\s*\[([^\]\s]+)(?: \(root-commit\))? ([0-9a-f]{7,40})\] (.+)$/u.exec(raw);
    if (match != null) found.push({ branch: match[1]!, sha: match[2]!, subject: match[3]!.trim(), line: raw.trim() });
  }
  return found;
}

/** Gas Town's session line `GAS TOWN role:<identity> pid:<pid> session:<id>` (brackets when printed by hand). */
export function findPrimeIdentity(text: string): { identity: string; sessionId?: string } | undefined {
  const match = /(?:^|\n)\s*\[?GAS TOWN\]? role:(\S+)(?: pid:\S+)?(?: session:(\S+))?/u.exec(text);
  if (match?.[1] == null) return undefined;
  return match[2] == null ? { identity: match[1] } : { identity: match[1], sessionId: match[2] };
}

/** The `"id": "<id>"` a beads MCP `create` tool prints as JSON (its result has no bd marker). */
export function findJsonId(text: string): string | undefined {
  return /"id"\s*:\s*"([^"]+)"/u.exec(text)?.[1];
}
