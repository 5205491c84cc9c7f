// Generates the benchmark corpus: a real git repository of N commits (git fast-import), a beads
// store of M beads with their events (bd's export and row shapes), and Sessions that work them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { type Message, type Session } from '@forge/schema';

const day = 86_400_000;
const start = Date.UTC(2026, 3, 1);
const polecats = Array.from({ length: 50 }, (_, index) => `cat${index}`);

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export const beadId = (index: number): string => `bd-${index.toString(36).padStart(4, '0')}`;

/** The repository: every fifth commit names a bead and carries `Executed-By`; returns commit times by bead. */
export async function generateRepository(dir: string, commits: number, beads: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const streamFile = join(dir, '..', 'fast-import.txt');
  const out = createWriteStream(streamFile);
  const next = random(7);
  for (let index = 0; index < commits; index += 1) {
    const time = Math.floor((start + (index / commits) * 30 * day) / 1000);
    const polecat = polecats[index % polecats.length]!;
    const names = index % 5 === 0 ? beadId(Math.floor(next() * beads)) : undefined;
    const subject = names == null ? `chore: tidy module ${index}` : `fix(core): change ${index} (${names})`;
    const message = `${subject}\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n\nExecuted-By: demo/polecats/${polecat}\n`;
    const content = `export const value${index} = ${index};\nexport const name${index} = 'v${index}';\n`;
    out.write(`blob\nmark :${index * 2 + 1}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
    out.write(`commit refs/heads/main\nmark :${index * 2 + 2}\nauthor ${polecat} <dev@example.com> ${time} +0000\ncommitter ${polecat} <dev@example.com> ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}`);
    if (index > 0) out.write(`from :${index * 2}\n`);
    out.write(`M 100644 :${index * 2 + 1} src/module${index % 500}.ts\n\n`);
  }
  await new Promise<void>((resolve) => out.end(resolve));
  execFileSync('sh', ['-c', `git fast-import --quiet < '${streamFile}'`], { cwd: dir });
}

/** The beads store: beads in the export shape, four events each in the row shape. */
export function generateBeads(dir: string, beads: number): void {
  mkdirSync(join(dir, 'backup'), { recursive: true });
  const issues: string[] = [];
  const events: string[] = [];
  for (let index = 0; index < beads; index += 1) {
    const id = beadId(index);
    const polecat = `demo/polecats/${polecats[index % polecats.length]}`;
    const created = new Date(start + (index / beads) * 30 * day).toISOString();
    const closed = new Date(Date.parse(created) + 3_600_000).toISOString();
    const reopened = index % 20 === 0;
    issues.push(JSON.stringify({ _type: 'issue', id, title: `Task ${index}`, status: 'closed', priority: 2, issue_type: 'task', assignee: polecat, created_at: created, created_by: 'mayor', updated_at: closed, closed_at: closed, close_reason: 'Closed', labels: ['gt:task'], dependency_count: 0, dependent_count: 0, comment_count: 0 }));
    const row = (type: string, actor: string, at: number, oldValue: string, newValue: string) => JSON.stringify({ actor, comment: null, created_at: new Date(Date.parse(created) + at).toISOString(), event_type: type, id: `${id}-${type}-${at}`, issue_id: id, new_value: newValue, old_value: oldValue });
    events.push(row('created', 'mayor', 0, '', ''));
    events.push(row('status_changed', 'mayor', 60_000, '{"status":"open"}', `{"assignee":"${polecat}","status":"hooked"}`));
    events.push(row('status_changed', polecat, 120_000, '{"status":"hooked"}', '{"status":"in_progress"}'));
    events.push(row('closed', polecat, 1_800_000, '', 'Closed'));
    if (reopened) events.push(row('reopened', polecat, 2_400_000, '{"status":"closed"}', '{"status":"in_progress"}'), row('closed', polecat, 3_600_000, '', 'Closed'));
  }
  writeFileSync(join(dir, 'issues.jsonl'), `${issues.join('\n')}\n`);
  writeFileSync(join(dir, 'backup', 'events.jsonl'), `${events.join('\n')}\n`);
}

/** A town log: a sling and a done per bead, a session_start per polecat session. */
export function generateTown(root: string, beads: number): void {
  mkdirSync(join(root, 'mayor'), { recursive: true });
  writeFileSync(join(root, 'mayor', 'town.json'), '{"type":"town","version":2,"name":"bench"}\n');
  const lines: string[] = [];
  for (let index = 0; index < beads; index += 1) {
    const bead = beadId(index);
    const identity = `demo/polecats/${polecats[index % polecats.length]}`;
    const created = start + (index / beads) * 30 * day;
    const event = (type: string, actor: string, at: number, payload: object) => JSON.stringify({ ts: new Date(at).toISOString(), source: 'gt', type, actor, payload, visibility: 'feed' });
    lines.push(event('sling', 'mayor', created + 60_000, { bead, target: identity }));
    lines.push(event('session_start', identity, created + 80_000, { session_id: `town-${index}`, role: identity, cwd: '/elsewhere' }));
    lines.push(event('done', identity, created + 1_790_000, { bead, branch: `polecat/x/${bead}@abc` }));
  }
  writeFileSync(join(root, '.events.jsonl'), `${lines.join('\n')}\n`);
}

const message = (role: Message['role'], text: string, time: number, extra: Partial<Message> = {}): Message => ({ role, text, reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation', timestamp: new Date(time).toISOString(), ...extra });

/** Sessions in the canonical model, one per sampled bead: beacon, claim, edit, test, commit, close. */
export function generateSessions(file: string, count: number, beads: number, cwd: string): void {
  const lines: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const beadIndex = Math.floor((index * beads) / count);
    const id = beadId(beadIndex);
    const polecat = polecats[beadIndex % polecats.length]!;
    const begin = start + (beadIndex / beads) * 30 * day + 90_000;
    const call = (n: number, name: string, args: object, output: string, at: number): Message[] => [
      message('assistant', '', at, { toolCalls: [{ id: `t${n}`, name, arguments: JSON.stringify(args) }] }),
      message('tool', output, at + 1000, { toolResult: { toolCallId: `t${n}`, toolName: name, isError: false, text: output } }),
    ];
    const messages = [
      message('user', `[GAS TOWN] polecat ${polecat} (rig: demo) <- witness • 2026-04-01T00:00 • assigned:${id}`, begin, { provenance: 'gastown-beacon' }),
      ...call(1, 'Bash', { command: `bd update ${id} --claim` }, `✓ Updated issue: ${id} — Task ${beadIndex}`, begin + 10_000),
      ...call(2, 'Read', { file_path: `${cwd}/src/module1.ts` }, 'export const value1 = 1;', begin + 20_000),
      ...call(3, 'Edit', { file_path: `${cwd}/src/module1.ts`, old_string: 'a', new_string: `export const value${index} = ${index};` }, 'ok', begin + 30_000),
      ...call(4, 'Bash', { command: 'npm test' }, 'ok', begin + 40_000),
      ...call(5, 'Bash', { command: `git commit -am "fix(core): change (${id})"` }, `[polecat/${polecat}/${id}@abc 1234567] fix(core): change (${id})`, begin + 50_000),
      ...call(6, 'Bash', { command: `bd close ${id}` }, `✓ Closed ${id} — Task ${beadIndex}: Closed`, begin + 60_000),
      message('assistant', 'Done.', begin + 70_000, { stopReason: 'end_turn' }),
    ];
    const session: Session = {
      schemaVersion: 1,
      id: `session-${index}`,
      source: 'claude-code',
      files: [`/bench/session-${index}.jsonl`],
      cwd,
      gitBranch: `polecat/${polecat}/${id}@abc`,
      startedAt: new Date(begin).toISOString(),
      endedAt: new Date(begin + 70_000).toISOString(),
      models: ['claude-opus-4-6'],
      branch: { leafId: null, isActive: true },
      isSubagent: false,
      gastown: { role: 'polecat', rig: 'demo', name: polecat, beadIds: [id], beacon: { recipient: `polecat ${polecat} (rig: demo)`, sender: 'witness', topic: 'assigned', beadId: id } },
      usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      messages,
      warnings: [],
    };
    lines.push(JSON.stringify(session));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}
