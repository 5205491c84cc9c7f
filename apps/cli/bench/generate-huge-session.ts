import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRandom } from './generate-corpus.js';

const words = 'alpha bravo config deploy error fixture gateway handler index journal kernel loader module network output parser query router schema token update vector worker yaml zone test build lint merge branch commit'.split(' ');

/**
 * Writes one pi (v3) session of about `targetBytes` to `path`, line by line (nothing is held): a
 * Gas Town polecat's long run of prompts, each followed by tens of assistant steps with text,
 * thinking and tool calls (bash, read, edit) and their results (mostly a few KB, some long
 * outputs of hundreds of KB, some errors), and now and then an abandoned branch (a retry from an
 * earlier entry) that the active path does not take. Returns the bytes and entries written.
 */
export function generateHugePiSession({ path, targetBytes, seed = 7 }: { path: string; targetBytes: number; seed?: number }): { bytes: number; entries: number } {
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sentence = (count: number) => Array.from({ length: count }, () => pick(words)).join(' ');
  const output = (bytes: number) => {
    const lines: string[] = [];
    for (let size = 0; size < bytes; ) {
      const line = `${pick(['src', 'lib', 'test'])}/${pick(words)}.ts:${Math.floor(random() * 900)}: ${sentence(6 + Math.floor(random() * 10))}`;
      lines.push(line);
      size += line.length + 1;
    }
    return lines.join('\n');
  };
  mkdirSync(dirname(path), { recursive: true });
  const file = openSync(path, 'w');
  let bytes = 0;
  let entries = 0;
  let clock = Date.parse('2026-11-24T04:07:47.845Z');
  let pending = '';
  const write = (record: Record<string, unknown>): void => {
    pending += `${JSON.stringify(record)}\n`;
    if (pending.length > 1 << 20) flush();
  };
  const flush = (): void => {
    bytes += writeSync(file, pending);
    pending = '';
  };
  let nextId = 0;
  const id = () => (nextId++).toString(16).padStart(8, '0');
  const at = () => new Date((clock += 50 + Math.floor(random() * 4000))).toISOString();
  const entry = (parentId: string | null, message: Record<string, unknown>): string => {
    const entryId = id();
    write({ type: 'message', id: entryId, parentId, timestamp: at(), message: { ...message, timestamp: clock } });
    entries += 1;
    return entryId;
  };
  const usage = () => ({ input: 20 + Math.floor(random() * 400), output: 30 + Math.floor(random() * 900), cacheRead: Math.floor(random() * 90_000), cacheWrite: Math.floor(random() * 3000), totalTokens: 0, cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 } });
  let call = 0;
  /** One assistant step and its results, continuing from `parentId`; returns the last entry's id. */
  const step = (parentId: string): string => {
    const content: Array<Record<string, unknown>> = [];
    if (random() < 0.4) content.push({ type: 'thinking', thinking: sentence(20 + Math.floor(random() * 80)), thinkingSignature: 'sig' });
    if (random() < 0.7) content.push({ type: 'text', text: sentence(8 + Math.floor(random() * 40)) });
    const calls = random() < 0.85 ? 1 + (random() < 0.2 ? 1 : 0) : 0;
    const made: Array<{ id: string; name: string }> = [];
    for (let index = 0; index < calls; index += 1) {
      const name = pick(['bash', 'read', 'edit']);
      const callId = `toolu_${(call++).toString(36).padStart(10, '0')}`;
      const args = name === 'bash' ? { command: `${pick(['pnpm test', 'git diff', 'rg', 'ls -la'])} ${pick(words)}` } : name === 'read' ? { path: `src/${pick(words)}.ts` } : { path: `src/${pick(words)}.ts`, oldText: sentence(12), newText: sentence(14) };
      content.push({ type: 'toolCall', id: callId, name, arguments: args });
      made.push({ id: callId, name });
    }
    if (content.length === 0) content.push({ type: 'text', text: sentence(10) });
    let last = entry(parentId, { role: 'assistant', content, api: 'anthropic-messages', provider: 'anthropic', model: 'claude-sonnet-4-5', usage: usage(), stopReason: made.length > 0 ? 'toolUse' : 'stop' });
    for (const made1 of made) {
      const size = random() < 0.02 ? 100_000 + Math.floor(random() * 300_000) : 200 + Math.floor(random() * 6000);
      last = entry(last, { role: 'toolResult', toolCallId: made1.id, toolName: made1.name, content: [{ type: 'text', text: output(size) }], isError: random() < 0.05 });
    }
    return last;
  };
  write({ type: 'session', version: 3, id: '01a20bbd-0984-77ca-9e17-b16b16b16b16', timestamp: at(), cwd: '/home/ubuntu/gt/myrig/polecats/nux' });
  let tip = id();
  write({ type: 'model_change', id: tip, parentId: null, timestamp: at(), provider: 'anthropic', modelId: 'claude-sonnet-4-5' });
  entries += 1;
  for (let prompt = 0; bytes + pending.length < targetBytes; prompt += 1) {
    tip = entry(tip, { role: 'user', content: [{ type: 'text', text: `${prompt === 0 ? '[GAS TOWN] polecat nux, work bead gt-abc12: ' : ''}${sentence(10 + Math.floor(random() * 60))}` }] });
    const steps = 10 + Math.floor(random() * 60);
    for (let index = 0; index < steps && bytes + pending.length < targetBytes; index += 1) {
      // Now and then a retry from here that was abandoned: a branch the active path does not take.
      if (random() < 0.01) step(step(tip));
      tip = step(tip);
    }
  }
  // The run ends on an assistant answer.
  tip = entry(tip, { role: 'assistant', content: [{ type: 'text', text: 'Done: the bead is complete.' }], api: 'anthropic-messages', provider: 'anthropic', model: 'claude-sonnet-4-5', usage: usage(), stopReason: 'stop' });
  flush();
  closeSync(file);
  return { bytes, entries };
}
