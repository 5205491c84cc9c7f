import type { GasTownBeacon } from '@forge/schema';

// `[GAS TOWN] <recipient> <- <sender> • <YYYY-MM-DDTHH:MM> • <topic>[:<bead>]` (gastown-beads.md T9 #1).
const beaconPattern = /^\s*\[GAS TOWN\]\s+(.+?)\s+<-\s+(.+?)\s+•\s+(\S+)\s+•\s+(\S+)/u;
// Nudges: `gt nudge` delivers `[from <sender>] msg`; queued ones arrive as `QUEUED NUDGE`; the refinery sends `MERGED: …`.
const nudgePatterns = [/^\s*\[from [^\]\n]+\]/u, /QUEUED NUDGE/u, /^\s*(?:MERGED|MERGE_READY|MERGE_FAILED|FIX_NEEDED|REWORK_REQUEST|POLECAT_DONE):?\s/u];
// Work bead ids (T4): <prefix>-<hash>[.<n>]; non-work shapes are dropped by `findBeadIds`.
const beadIdPattern = /\b[a-z]{2,8}-(?:[a-z0-9]+-)*[a-z0-9]{3,10}(?:\.\d+){0,3}\b/gu;
const nonWorkBeadMarkers = ['-wisp-', '-mr-', '-cv-', '-mol-', '-proto-', '-eph-', '-polecat-', '-crew-', '-witness', '-refinery', '-role', '-rig-', '-dog-'];

/** Parses the Gas Town startup beacon at the start of a message; undefined when it is not one. */
export function parseGasTownBeacon(text: string): GasTownBeacon | undefined {
  const match = beaconPattern.exec(text);
  if (match == null) return undefined;
  const [, recipient = '', sender = '', time, rawTopic = ''] = match;
  const colon = rawTopic.indexOf(':');
  const topic = colon === -1 ? rawTopic : rawTopic.slice(0, colon);
  const beadId = colon === -1 ? undefined : rawTopic.slice(colon + 1) || undefined;
  const beacon: GasTownBeacon = { recipient, sender, topic };
  if (time != null) beacon.time = time;
  if (beadId != null) beacon.beadId = beadId;
  return beacon;
}

/** True when a message is a Gas Town startup beacon. */
export function isGasTownBeacon(text: string): boolean {
  return beaconPattern.test(text);
}

/** True when a user-side message is a nudge typed or queued by another Gas Town agent. */
export function isGasTownNudge(text: string): boolean {
  return nudgePatterns.some((pattern) => pattern.test(text));
}

/**
 * Work bead ids mentioned in a text (`gt-k3m9p`, `gt-5hb1t.1`), in order of first mention.
 * Agent, wisp, merge-request, convoy and molecule ids are left out (gastown-beads.md T4).
 */
export function findBeadIds(text: string, prefixes?: readonly string[]): string[] {
  return findBeadIdCandidates(text).filter((id) => {
    const prefix = id.slice(0, id.indexOf('-'));
    return prefixes != null ? prefixes.includes(prefix) : /\d/u.test(id.slice(prefix.length));
  });
}

/**
 * Every word of a text shaped like a work bead id, whatever its prefix, in order of first
 * mention: what {@link findBeadIds} chooses from once the stores' prefixes are known (scoring
 * keeps these of a text it does not keep whole).
 */
export function findBeadIdCandidates(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(beadIdPattern)) {
    const id = match[0];
    if (!nonWorkBeadMarkers.some((marker) => id.includes(marker))) found.add(id);
  }
  return [...found];
}
