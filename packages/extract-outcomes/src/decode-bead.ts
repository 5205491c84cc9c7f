import { type Bead, type MergeRequest, type SourceRef } from '@forge/schema';
import { toIsoTime } from './iso-time.js';
import { asObject, asText, asTextList } from './json-fields.js';

/**
 * A bead from one issue object in any of bd's shapes (gastown-beads.md T6): the export shape
 * (`bd export`, `.beads/issues.jsonl`: labels, dependencies inlined), the row shape (table dumps:
 * every column, nulls included, relations in other files) and `bd list --json` objects.
 * Undefined when the object has no id.
 */
export function decodeBead(value: unknown, source: SourceRef): Bead | undefined {
  const record = asObject(value);
  const id = asText(record?.id);
  if (record == null || id == null) return undefined;
  const bead: Bead = {
    id,
    status: asText(record.status) ?? 'open',
    labels: asTextList(record.labels),
    dependencies: decodeDependencies(record.dependencies, id),
    source,
  };
  setText(bead, 'title', record.title);
  setText(bead, 'issueType', record.issue_type);
  setText(bead, 'assignee', record.assignee);
  setText(bead, 'createdBy', record.created_by);
  setText(bead, 'closeReason', record.close_reason);
  setText(bead, 'parent', record.parent);
  setTime(bead, 'createdAt', record.created_at);
  setTime(bead, 'updatedAt', record.updated_at);
  setTime(bead, 'startedAt', record.started_at);
  setTime(bead, 'closedAt', record.closed_at);
  if (record.ephemeral === true || record.ephemeral === 1) bead.ephemeral = true;
  if (bead.parent == null) {
    const parent = bead.dependencies.find((dependency) => dependency.type === 'parent-child');
    if (parent != null) bead.parent = parent.dependsOnId;
  }
  if (isMergeRequest(bead)) bead.mergeRequest = decodeMergeRequest(asText(record.description) ?? '');
  return bead;
}

function setText<TKey extends 'title' | 'issueType' | 'assignee' | 'createdBy' | 'closeReason' | 'parent'>(bead: Bead, key: TKey, value: unknown): void {
  const text = asText(value);
  if (text != null) bead[key] = text;
}

function setTime<TKey extends 'createdAt' | 'updatedAt' | 'startedAt' | 'closedAt'>(bead: Bead, key: TKey, value: unknown): void {
  const time = toIsoTime(value);
  if (time != null) bead[key] = time;
}

function decodeDependencies(value: unknown, issueId: string): Bead['dependencies'] {
  if (!Array.isArray(value)) return [];
  const dependencies: Bead['dependencies'] = [];
  for (const item of value) {
    const record = asObject(item);
    const dependsOnId = asText(record?.depends_on_id) ?? asText(record?.id);
    if (record == null || dependsOnId == null || dependsOnId === issueId) continue;
    dependencies.push({ dependsOnId, type: asText(record.type) ?? asText(record.dependency_type) ?? 'blocks' });
  }
  return dependencies;
}

/** Gas Town tags merge requests with the `gt:merge-request` label (older: issue type `merge-request`). */
function isMergeRequest(bead: Bead): boolean {
  return bead.labels.includes('gt:merge-request') || bead.issueType === 'merge-request';
}

const mergeRequestKeys: Record<string, keyof MergeRequest> = {
  branch: 'branch',
  target: 'target',
  source_issue: 'sourceIssue',
  commit_sha: 'commitSha',
  merge_commit: 'mergeCommit',
  worker: 'worker',
  close_reason: 'closeReason',
};

/** The `key: value` lines Gas Town keeps in a merge-request bead's description (T9 #8). */
export function decodeMergeRequest(description: string): MergeRequest {
  const request: MergeRequest = {};
  for (const line of description.split('\n')) {
    const match = /^([a-z_]+):\s*(.*?)\s*$/u.exec(line);
    if (match == null) continue;
    const [, key = '', rawValue = ''] = match;
    if (rawValue === '' || rawValue === 'null') continue;
    if (key === 'retry_count') {
      const count = Number.parseInt(rawValue, 10);
      if (Number.isInteger(count) && count >= 0) request.retryCount = count;
      continue;
    }
    const field = mergeRequestKeys[key];
    if (field != null && field !== 'retryCount') request[field] = rawValue;
  }
  return request;
}
