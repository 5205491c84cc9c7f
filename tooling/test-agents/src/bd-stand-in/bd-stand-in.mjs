#!/usr/bin/env node
// STAND-IN for the beads CLI `bd`, for tests only. The real bd cannot be installed on these
// machines (npm `@beads/bd` downloads its binary at install time), so agent runs in a temp Gas
// Town get this small program on PATH instead. It is NOT bd and implements only what the tests
// drive, written from ../shared/docs/gastown-beads.md (T5-T8), not from bd's source:
//   - stdout markers of T8: `✓ Created issue: <id> — <title>`, `✓ Updated issue: <id> — <title>`,
//     `✓ Closed <id> — <title>: <reason>`, `↻ Reopened <id>[: <reason>]`, `📋 Ready work (…)`;
//   - state as bd's files (T6/T7): `.beads/issues.jsonl` in the export shape (auto-export on),
//     the events table as rows in `.beads/backup/events.jsonl`, and `.beads/interactions.jsonl`
//     `field_change` lines (none for --claim, reopen, or closing a closed bead);
//   - `list --all --json` / `show --json` as JSON arrays, `--readonly` refusing writes.
// Store: $BEADS_DIR, else the nearest `.beads/` above the cwd (its `redirect` followed once).
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const valueFlags = new Set(['--actor', '--status', '-s', '--reason', '-r', '--notes', '--append-notes', '--title', '--type', '-t', '--priority', '-p', '--description', '-d', '--labels', '-l', '--deps', '--parent', '--id', '--assignee', '-a', '--db']);

function parseArgs(argv) {
  const positionals = [];
  const flags = new Map();
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index];
    if (!word.startsWith('-')) positionals.push(word);
    else if (word.includes('=')) flags.set(word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1));
    else if (valueFlags.has(word)) flags.set(word, argv[++index] ?? '');
    else flags.set(word, true);
  }
  return { positionals, flags };
}

function fail(message) {
  process.stderr.write(`Error: ${message}\n`);
  process.exit(1);
}

function isFolder(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function findStore() {
  if (process.env.BEADS_DIR) return resolve(process.env.BEADS_DIR);
  let folder = process.cwd();
  for (;;) {
    const candidate = join(folder, '.beads');
    if (isFolder(candidate)) {
      const redirect = join(candidate, 'redirect');
      if (!existsSync(redirect)) return candidate;
      const target = readFileSync(redirect, 'utf8').split('\n').map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('#'));
      return target == null ? candidate : isAbsolute(target) ? target : resolve(folder, target);
    }
    if (dirname(folder) === folder) fail('no beads database found (run bd init)');
    folder = dirname(folder);
  }
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function actorOf(flags) {
  if (typeof flags.get('--actor') === 'string') return flags.get('--actor');
  if (process.env.BEADS_ACTOR) return process.env.BEADS_ACTOR;
  if (process.env.BD_ACTOR) return process.env.BD_ACTOR;
  try {
    const name = execFileSync('git', ['config', 'user.name'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (name) return name;
  } catch {
    // No git identity.
  }
  return process.env.USER ?? 'unknown';
}

class Store {
  constructor(dir) {
    this.dir = dir;
    this.file = join(dir, 'issues.jsonl');
    this.issues = existsSync(this.file) ? readFileSync(this.file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line)) : [];
    const config = existsSync(join(dir, 'config.yaml')) ? readFileSync(join(dir, 'config.yaml'), 'utf8') : '';
    this.prefix = /^issue-prefix:\s*"?([a-z0-9]+)"?/m.exec(config)?.[1] ?? 'bd';
  }
  get(id) {
    const issue = this.issues.find((candidate) => candidate.id === id);
    if (issue == null) fail(`issue ${id} not found`);
    return issue;
  }
  save() {
    const lines = this.issues.map((issue) => JSON.stringify(exportRecord(issue)));
    const temporary = `${this.file}.tmp-${process.pid}`;
    writeFileSync(temporary, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    renameSync(temporary, this.file);
  }
  event(issueId, type, actor, oldValue, newValue, comment = null) {
    mkdirSync(join(this.dir, 'backup'), { recursive: true });
    // Row shape: every column, keys in column order of a JSON dump (sorted), nulls kept.
    const row = { actor, comment, created_at: now(), event_type: type, id: randomUUID(), issue_id: issueId, new_value: newValue, old_value: oldValue };
    appendFileSync(join(this.dir, 'backup', 'events.jsonl'), `${JSON.stringify(row)}\n`);
  }
  interaction(issueId, actor, field, oldValue, newValue, reason) {
    const extra = { field, old_value: oldValue, new_value: newValue };
    if (reason != null) extra.reason = reason;
    const line = { id: `int-${randomBytes(16).toString('hex')}`, kind: 'field_change', created_at: now(), actor, issue_id: issueId, extra };
    appendFileSync(join(this.dir, 'interactions.jsonl'), `${JSON.stringify(line)}\n`);
  }
}

/** The issue without export-only fields, as the events table snapshots it. */
function snapshot(issue) {
  const { labels: _labels, dependencies: _dependencies, comments: _comments, ...rest } = issue;
  return JSON.stringify(rest);
}

function exportRecord(issue) {
  const record = { _type: 'issue', ...issue };
  for (const key of Object.keys(record)) if (record[key] == null || record[key] === '' || (Array.isArray(record[key]) && record[key].length === 0)) delete record[key];
  record.dependency_count = (issue.dependencies ?? []).length;
  record.dependent_count = 0;
  record.comment_count = (issue.comments ?? []).length;
  return record;
}

const feedback = (issue) => `${issue.id} — ${issue.title}`;

function setStatus(store, issue, status, actor, { reason, assignee, audited }) {
  const before = snapshot(issue);
  const oldStatus = issue.status;
  const changed = { status };
  if (assignee != null) {
    changed.assignee = assignee;
    issue.assignee = assignee;
  }
  issue.status = status;
  issue.updated_at = now();
  if (status === 'in_progress' && issue.started_at == null) issue.started_at = issue.updated_at;
  if (status === 'closed') {
    issue.closed_at = issue.updated_at;
    issue.close_reason = reason;
    store.event(issue.id, 'closed', actor, '', reason);
  } else {
    if (oldStatus === 'closed') {
      delete issue.closed_at;
      delete issue.close_reason;
    }
    // Any change away from closed is recorded as a reopen (T7).
    store.event(issue.id, oldStatus === 'closed' ? 'reopened' : 'status_changed', actor, before, JSON.stringify(changed));
  }
  if (audited && oldStatus !== status && !(status === 'closed' && oldStatus === 'closed')) store.interaction(issue.id, actor, 'status', oldStatus, status, status === 'closed' ? reason : undefined);
}

function main() {
  const { positionals, flags } = parseArgs(process.argv.slice(2));
  const [command, ...ids] = positionals;
  const json = flags.has('--json');
  const writes = new Set(['create', 'update', 'close', 'reopen']);
  if (flags.has('--readonly') && writes.has(command)) fail(`${command} is a write and --readonly is set`);
  const store = new Store(findStore());
  const actor = actorOf(flags);
  switch (command) {
    case 'create': {
      const title = flags.get('--title') ?? ids.join(' ');
      if (!title) fail('title required');
      const createdAt = now();
      const id = typeof flags.get('--id') === 'string' ? flags.get('--id') : `${store.prefix}-${createHash('sha256').update(`${title}\0${createdAt}\0${randomUUID()}`).digest('hex').slice(0, 5).replace(/[^a-z0-9]/g, '0')}`;
      const labels = typeof flags.get('--labels') === 'string' ? flags.get('--labels').split(',').filter(Boolean) : [];
      const dependencies = [];
      for (const spec of typeof flags.get('--deps') === 'string' ? flags.get('--deps').split(',') : []) {
        const [type, target] = spec.includes(':') ? spec.split(':') : ['blocks', spec];
        dependencies.push({ issue_id: id, depends_on_id: target, type, created_at: createdAt, created_by: actor, metadata: '{}' });
      }
      if (typeof flags.get('--parent') === 'string') dependencies.push({ issue_id: id, depends_on_id: flags.get('--parent'), type: 'parent-child', created_at: createdAt, created_by: actor, metadata: '{}' });
      const issue = { id, title, description: flags.get('--description') ?? '', status: 'open', priority: Number(flags.get('--priority') ?? 2), issue_type: flags.get('--type') ?? 'task', assignee: flags.get('--assignee') ?? null, created_at: createdAt, created_by: actor, updated_at: createdAt, labels, dependencies };
      store.issues.push(issue);
      store.event(id, 'created', actor, '', '');
      for (const label of labels) store.event(id, 'label_added', actor, null, null, `Added label: ${label}`);
      store.save();
      process.stdout.write(json ? `${JSON.stringify(exportRecord(issue), null, 2)}\n` : `✓ Created issue: ${feedback(issue)}\n`);
      return;
    }
    case 'update': {
      for (const id of ids) {
        const issue = store.get(id);
        if (flags.has('--claim')) {
          if (issue.assignee && issue.assignee !== actor && issue.status !== 'open') fail(`${id} is already claimed by ${issue.assignee}`);
          setStatus(store, issue, 'in_progress', actor, { assignee: actor, audited: false });
        }
        const status = flags.get('--status') ?? flags.get('-s');
        const assignee = flags.get('--assignee') ?? flags.get('-a');
        if (typeof status === 'string') {
          // `gt sling` sets both in one update: one status_changed event, two audit lines.
          if (typeof assignee === 'string') store.interaction(id, actor, 'assignee', issue.assignee ?? '', assignee);
          setStatus(store, issue, status.replaceAll('-', '_'), actor, { reason: 'Closed', audited: true, ...(typeof assignee === 'string' ? { assignee } : {}) });
        } else if (typeof assignee === 'string' && !flags.has('--claim')) {
          const before = snapshot(issue);
          store.interaction(id, actor, 'assignee', issue.assignee ?? '', assignee);
          issue.assignee = assignee;
          store.event(id, 'updated', actor, before, JSON.stringify({ assignee }));
        }
        for (const [flag, field] of [['--notes', 'notes'], ['--append-notes', 'notes'], ['--title', 'title'], ['--description', 'description']]) {
          const value = flags.get(flag);
          if (typeof value !== 'string') continue;
          const before = snapshot(issue);
          issue[field] = flag === '--append-notes' && issue.notes ? `${issue.notes}\n${value}` : value;
          issue.updated_at = now();
          store.event(id, 'updated', actor, before, JSON.stringify({ [field]: issue[field] }));
        }
        process.stdout.write(`✓ Updated issue: ${feedback(issue)}\n`);
      }
      store.save();
      return;
    }
    case 'close': {
      const reason = typeof flags.get('--reason') === 'string' ? flags.get('--reason') : typeof flags.get('-r') === 'string' ? flags.get('-r') : 'Closed';
      for (const id of ids) {
        const issue = store.get(id);
        setStatus(store, issue, 'closed', actor, { reason, audited: true });
        process.stdout.write(`✓ Closed ${feedback(issue)}: ${reason}\n`);
      }
      store.save();
      return;
    }
    case 'reopen': {
      const reason = typeof flags.get('--reason') === 'string' ? flags.get('--reason') : '';
      for (const id of ids) {
        const issue = store.get(id);
        if (issue.status === 'open') {
          process.stderr.write(`${id} is already open\n`);
          continue;
        }
        setStatus(store, issue, 'open', actor, { audited: false });
        process.stdout.write(`↻ Reopened ${id}${reason ? `: ${reason}` : ''}\n`);
      }
      store.save();
      return;
    }
    case 'show': {
      const found = ids.map((id) => store.issues.find((issue) => issue.id === id)).filter(Boolean);
      if (json) process.stdout.write(`${JSON.stringify(found.map((issue) => ({ ...issue, dependency_count: (issue.dependencies ?? []).length, dependent_count: 0, comment_count: 0 })), null, 2)}\n`);
      else for (const issue of found) process.stdout.write(`${issue.id}: ${issue.title}\nStatus: ${issue.status.toUpperCase()}\nAssignee: ${issue.assignee ?? '-'}\n\n${issue.description ?? ''}\n`);
      if (found.length < ids.length) fail(`issue not found: ${ids.filter((id) => !found.some((issue) => issue.id === id)).join(', ')}`);
      return;
    }
    case 'list': {
      const shown = flags.has('--all') ? store.issues : store.issues.filter((issue) => issue.status !== 'closed');
      if (json) process.stdout.write(`${JSON.stringify(shown.map((issue) => ({ ...exportRecord(issue), _type: undefined })), null, 2)}\n`);
      else for (const issue of shown) process.stdout.write(`${issue.id} [P${issue.priority}] [${issue.issue_type}] ${issue.status} - ${issue.title}\n`);
      return;
    }
    case 'ready': {
      const ready = store.issues.filter((issue) => issue.status === 'open');
      process.stdout.write(`📋 Ready work (${ready.length} issues with no active blockers):\n\n`);
      ready.forEach((issue, position) => process.stdout.write(`${position + 1}. [P${issue.priority}] [${issue.issue_type}] ${issue.id}: ${issue.title}\n`));
      return;
    }
    default:
      fail(`unknown command "${command ?? ''}" (this is a test stand-in for bd; see its header)`);
  }
}

main();
