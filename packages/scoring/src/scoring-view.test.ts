import { describe, expect, it } from 'vitest';
import { type Bead, type Message, type Outcomes, type Session } from '@forge/schema';
import { readAgentEdit } from './agent-edits.js';
import { indexOutcomes } from './index-outcomes.js';
import { linkSession } from './link-session.js';
import { scoreSession } from './score-session.js';
import { scoringView } from './scoring-view.js';
import { collectToolUses } from './tool-uses.js';

// Each shortening rule of the view on the input it is for; the CLI's scoring-view test checks
// every session of the repository's fixtures and of the real agents.
const message = (role: Message['role'], text: string, extra: Partial<Message> = {}): Message => ({ role, text, reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation', ...extra });
let calls = 0;
function call(name: string, args: Record<string, unknown>, output: string, extra: { isError?: boolean; metadata?: Record<string, unknown> } = {}): Message[] {
  calls += 1;
  const id = `call_${calls}`;
  const result: Message = message('tool', output, { toolResult: { toolCallId: id, toolName: name, isError: extra.isError ?? false, text: output }, sourceIds: [`r${calls}`, 'more'] });
  if (extra.metadata != null) result.metadata = extra.metadata;
  return [message('assistant', '', { toolCalls: [{ id, name, arguments: JSON.stringify(args) }], usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 }, model: 'm' }), result];
}

const fileBody = Array.from({ length: 400 }, (_, line) => `export const value${line} = compute(${line}); // see gt-k3m9p, gt-abcde and read-only mode`).join('\n');
const session: Session = {
  schemaVersion: 1,
  id: 's1',
  source: 'claude-code',
  files: ['/h/.claude/projects/p/s1.jsonl', '/h/.claude/projects/p/s1/subagents/a.jsonl'],
  cwd: '/w',
  startedAt: '2026-04-15T09:00:00Z',
  endedAt: '2026-04-15T09:10:00Z',
  models: ['m'],
  branch: { leafId: 'x', isActive: true },
  isSubagent: false,
  usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 },
  gastown: { role: 'polecat', rig: 'gastown', name: 'nux', townRoot: '/gt', beadIds: ['gt-k3m9p'], beacon: { recipient: 'nux', sender: 'mayor', topic: 'assigned', beadId: 'gt-k3m9p', time: '2026-04-15T09:00' } },
  messages: [
    message('user', '[GAS TOWN] nux <- mayor • 2026-04-15T09:00 • assigned:gt-k3m9p', { provenance: 'gastown-beacon' }),
    message('user', 'Fix gt-k3m9p please'),
    ...call('Bash', { command: 'bd update gt-k3m9p --claim' }, '\u001b[32m✓\u001b[0m Updated issue: gt-k3m9p — Greeting'),
    ...call('Read', { file_path: '/w/values.ts' }, fileBody, { metadata: { toolUseResult: { type: 'text', file: { filePath: '/w/values.ts', content: fileBody } } } }),
    message('assistant', 'Reading done, see gt-zz9q1.', { reasoning: { state: 'present', text: 'Long thoughts about gt-zz9q1 and more '.repeat(50) } }),
    ...call('Edit', { file_path: '/w/values.ts', old_string: 'compute', new_string: 'calculate', replace_all: true }, 'The file has been updated.', {
      metadata: { toolUseResult: { originalFile: fileBody, structuredPatch: [{ oldStart: 1, lines: ['-export const value0 = compute(0);', '+export const value0 = calculate(0);', ' kept', '+export const value1 = calculate(1);'] }] } },
    }),
    ...call('Write', { file_path: '/w/new.ts', content: 'one line\nsecond line here\n' }, 'File written', { metadata: { toolUseResult: { type: 'update', originalFile: 'one line\n', structuredPatch: [] } } }),
    ...call('Bash', { command: 'rm -rf /w/build' }, "The user doesn't want to proceed with this tool use. The tool use was rejected.", { isError: true }),
    message('user', "No, that's wrong: keep the build folder"),
    message('assistant', 'ok', { reasoning: { state: 'present', text: '   ' } }),
    ...call('Bash', { command: 'git commit -am "fix(values): calculate (gt-k3m9p)"' }, '[polecat/nux/gt-k3m9p 1a2b3c4] fix(values): calculate (gt-k3m9p)\n 1 file changed'),
    ...call('Bash', { command: 'npm test' }, `${fileBody}\nTests passed`),
    message('assistant', '', { reasoning: { state: 'hollow' }, stopReason: 'end_turn' }),
  ],
  warnings: [],
};

const bead = (id: string): Bead => ({ id, status: 'closed', labels: [], dependencies: [], source: { file: '/w/.beads/issues.jsonl', line: 1 } });
const withStore: Outcomes = { outcomesVersion: 1, stores: [{ dir: '/w/.beads', origin: 'files', prefixes: ['gt'], beads: [bead('gt-k3m9p'), bead('gt-abcde'), bead('gt-zz9q1')], events: [] }], towns: [], repositories: [], places: [], facets: [], warnings: [] };
const empty: Outcomes = { ...withStore, stores: [] };

describe('scoringView', () => {
  const view = scoringView(session);
  const messages = view.messages;

  it('should keep whole the texts a reader matches, and of the others their bead ids and whether they are blank', () => {
    const kept = (index: number): string => session.messages[index]!.text;
    // A bd marker, a rejection, a correction, a commit line: whole.
    for (const index of [3, 12, 13, 16]) expect(messages[index]!.text).toBe(kept(index));
    // A file read: only the id-shaped words of its text are read (which prefixes count is known when scoring).
    expect(messages[5]!.text).toBe('…\ngt-k3m9p gt-abcde read-only');
    expect(messages[5]!.toolResult?.text).toBe(messages[5]!.text);
    expect(messages[6]!.text).toBe('…\ngt-zz9q1');
    expect(messages[8]!.text).toBe('…');
    expect(messages[18]!.text).toBe('…\ngt-k3m9p gt-abcde read-only');
    expect(messages[19]!.text).toBe('');
  });

  it('should keep of reasoning whether it has text, and of metadata what edits are read from', () => {
    expect(messages[6]!.reasoning).toEqual({ state: 'present', text: '…' });
    expect(messages[14]!.reasoning).toEqual({ state: 'present' });
    expect(messages[19]!.reasoning).toEqual({ state: 'hollow' });
    expect(messages[5]!.reasoning).toBeUndefined();
    expect(messages[5]!.metadata).toBeUndefined();
    expect(messages[8]!.metadata).toEqual({ toolUseResult: { structuredPatch: [{ lines: ['+export const value0 = calculate(0);', '+export const value1 = calculate(1);'] }] } });
    expect(messages[10]!.metadata).toEqual({ toolUseResult: { structuredPatch: [{ lines: [] }], originalFile: 'one line\n' } });
    const edits = (source: typeof view) => collectToolUses(source).map(readAgentEdit);
    expect(edits(view)).toEqual(edits(session));
    expect(edits(view).filter((edit) => edit != null)).toHaveLength(2);
  });

  it('should drop the fields scoring does not read', () => {
    expect(view.files).toEqual(['/h/.claude/projects/p/s1.jsonl']);
    expect(view.gastown).toEqual({ role: 'polecat', rig: 'gastown', name: 'nux', beadIds: ['gt-k3m9p'], beacon: { topic: 'assigned', beadId: 'gt-k3m9p' } });
    expect(Object.keys(messages[3]!)).toEqual(['role', 'provenance', 'text', 'toolResult', 'sourceIds']);
    expect(messages[3]!.sourceIds).toEqual([session.messages[3]!.sourceIds![0]]);
    expect(messages[3]!.toolResult).toEqual({ toolCallId: session.messages[3]!.toolResult!.toolCallId, isError: false, text: session.messages[3]!.text });
    expect(JSON.stringify(view).length / JSON.stringify(session).length).toBeLessThan(0.2);
    expect(scoringView(view)).toEqual(view);
  });

  it('should link and score as the session does, with and without the stores’ prefixes, after a JSON round trip too', () => {
    const spilled = JSON.parse(JSON.stringify(view)) as typeof view;
    for (const outcomes of [withStore, empty]) {
      const index = indexOutcomes(outcomes);
      const linked = linkSession(session, index);
      for (const copy of [view, spilled]) {
        expect(linkSession(copy, index).links).toEqual(linked.links);
        expect(scoreSession(copy, index)).toEqual(scoreSession(session, index));
      }
      expect(linked.links.beads.map((entry) => [entry.id, entry.role])).toEqual(outcomes === empty ? [['gt-k3m9p', 'worked'], ['gt-zz9q1', 'mentioned']] : [['gt-abcde', 'mentioned'], ['gt-k3m9p', 'worked'], ['gt-zz9q1', 'mentioned']]);
    }
    const score = scoreSession(view, indexOutcomes(withStore));
    expect(score.signals.corrections?.value).toBe(2);
    expect(score.signals.thinking?.value).toBe(0.1);
  });
});
