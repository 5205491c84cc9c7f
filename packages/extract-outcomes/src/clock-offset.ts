import { type Bead, type BeadEvent } from '@forge/schema';

const minute = 60_000;

/**
 * The offset to add to a store's event times so they agree with its issue timestamps. Gas Town's
 * Dolt server stores `events.created_at` in server-local time labelled `Z` (8 h behind the issues
 * in Gas Town's own backup, gastown-beads.md §6.1). Measured as `closed_at` minus the time of the
 * issue's last `closed` event; applied only when at least three issues agree within two minutes
 * and the shift is over ten minutes. Rounded to a quarter hour, as time zones are. 0 otherwise.
 */
export function estimateEventClockOffset(beads: readonly Bead[], events: readonly BeadEvent[]): number {
  const lastClose = new Map<string, number>();
  for (const event of events) {
    if (event.kind !== 'closed' || event.origin !== 'events') continue;
    const at = Date.parse(event.at);
    if (at > (lastClose.get(event.issueId) ?? -Infinity)) lastClose.set(event.issueId, at);
  }
  const differences: number[] = [];
  for (const bead of beads) {
    const closedAt = bead.closedAt == null ? undefined : Date.parse(bead.closedAt);
    const eventAt = lastClose.get(bead.id);
    if (closedAt != null && eventAt != null) differences.push(closedAt - eventAt);
  }
  if (differences.length < 3) return 0;
  differences.sort((left, right) => left - right);
  const median = differences[Math.floor(differences.length / 2)]!;
  const agreeing = differences.filter((difference) => Math.abs(difference - median) <= 2 * minute).length;
  if (Math.abs(median) <= 10 * minute || agreeing * 2 < differences.length || agreeing < 3) return 0;
  return Math.round(median / (15 * minute)) * 15 * minute;
}

/** The events with the offset added to their times. */
export function shiftEvents(events: readonly BeadEvent[], offsetMs: number): BeadEvent[] {
  if (offsetMs === 0) return [...events];
  return events.map((event) => ({ ...event, at: new Date(Date.parse(event.at) + offsetMs).toISOString() }));
}
