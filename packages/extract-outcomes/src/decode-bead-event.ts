import { type BeadEvent, type SourceRef } from '@forge/schema';
import { toIsoTime } from './iso-time.js';
import { asObject, asText } from './json-fields.js';

/** Why a line gave no event, for the caller's warning. */
export type EventProblem = { problem: 'not-an-event' } | { problem: 'unknown-type'; type: string };

const simpleKinds: Record<string, BeadEvent['kind']> = {
  created: 'created',
  commented: 'commented',
  label_added: 'label',
  label_removed: 'label',
  dependency_added: 'dependency',
  dependency_removed: 'dependency',
  compacted: 'other',
  renamed: 'other',
  deleted: 'other',
};

/**
 * A row of bd's `events` table (`{id, issue_id, event_type, actor, old_value, new_value, comment,
 * created_at}`, gastown-beads.md T7): `status_changed`/`updated`/`reopened` carry the issue before
 * the change as JSON in `old_value` and the changed fields as JSON in `new_value`; `closed` carries
 * the close reason. Older dumps wrote plain status words instead of JSON.
 */
export function decodeEventRow(value: unknown, source: SourceRef): BeadEvent | EventProblem {
  const record = asObject(value);
  const issueId = asText(record?.issue_id);
  const type = asText(record?.event_type);
  const at = toIsoTime(record?.created_at);
  if (record == null || issueId == null || type == null || at == null) return { problem: 'not-an-event' };
  const base = { issueId, at, origin: 'events' as const, source, ...optional('actor', asText(record.actor)) };
  const before = statusOf(record.old_value);
  switch (type) {
    case 'closed':
      return { ...base, kind: 'closed', to: 'closed', ...optional('from', before.status), ...optional('reason', asText(record.new_value)) };
    case 'status_changed':
    case 'updated':
    case 'reopened': {
      const after = statusOf(record.new_value);
      if (type === 'reopened') {
        return { ...base, kind: 'reopened', from: before.status ?? 'closed', to: after.status ?? 'open', ...optional('assignee', after.assignee), ...optional('reason', asText(record.comment)) };
      }
      if (after.status == null) return { ...base, kind: 'updated', ...optional('assignee', after.assignee) };
      return { ...base, kind: 'status', to: after.status, ...optional('from', before.status), ...optional('assignee', after.assignee) };
    }
    default: {
      const kind = simpleKinds[type];
      if (kind == null) return { problem: 'unknown-type', type };
      return { ...base, kind };
    }
  }
}

/**
 * A `field_change` line of `.beads/interactions.jsonl` (`{id, kind, created_at, actor, issue_id,
 * extra: {field, old_value, new_value, reason}}`). Status and assignee changes only; bd writes none
 * for `--claim`, `bd reopen` or closing a closed bead, so this trail has gaps (T7).
 */
export function decodeInteraction(value: unknown, source: SourceRef): BeadEvent | EventProblem {
  const record = asObject(value);
  const issueId = asText(record?.issue_id);
  const at = toIsoTime(record?.created_at);
  const extra = asObject(record?.extra);
  if (record == null || issueId == null || at == null) return { problem: 'not-an-event' };
  if (record.kind !== 'field_change' || extra == null) return { problem: 'not-an-event' };
  const base = { issueId, at, origin: 'interactions' as const, source, ...optional('actor', asText(record.actor)) };
  const field = asText(extra.field);
  const from = asText(extra.old_value);
  const to = asText(extra.new_value);
  if (field === 'assignee') return { ...base, kind: 'updated', ...optional('assignee', to) };
  if (field !== 'status' || to == null) return { ...base, kind: 'updated' };
  if (to === 'closed') return { ...base, kind: 'closed', to, ...optional('from', from), ...optional('reason', asText(extra.reason)) };
  if (from === 'closed') return { ...base, kind: 'reopened', from, to };
  return { ...base, kind: 'status', to, ...optional('from', from) };
}

/** `{ key: value }` when the value is set, else `{}`: keeps absent fields absent. */
function optional<TKey extends string>(key: TKey, value: string | undefined): Partial<Record<TKey, string>> {
  return value == null ? {} : ({ [key]: value } as Record<TKey, string>);
}

/** Status and assignee from an event's `old_value`/`new_value`: JSON of the issue or of the changed fields, or a plain status word. */
function statusOf(value: unknown): { status?: string; assignee?: string } {
  const text = asText(value);
  if (text == null) return {};
  if (!text.startsWith('{')) return /^[a-z_]+$/u.test(text) ? { status: text } : {};
  try {
    const parsed = asObject(JSON.parse(text));
    return { ...optional('status', asText(parsed?.status)), ...optional('assignee', asText(parsed?.assignee)) };
  } catch {
    return {};
  }
}
