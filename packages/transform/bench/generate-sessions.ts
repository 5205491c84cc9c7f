import { type Message, type Session } from '@forge/schema';

const words = [
  'const', 'let', 'return', 'function', 'await', 'async', 'import', 'export', 'from', 'if', 'else', 'for', 'of', 'new', 'this',
  'session', 'message', 'token', 'value', 'result', 'error', 'path', 'file', 'line', 'parse', 'emit', 'row', 'format', 'tool',
  'index', 'count', 'buffer', 'reader', 'writer', 'stream', 'options', 'config', 'schema', 'record', 'split', 'window', 'hash',
];

/** A small deterministic PRNG so every run benchmarks the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

function codeLines(next: () => number, lines: number): string {
  const out: string[] = [];
  for (let line = 0; line < lines; line += 1) {
    const length = 4 + Math.floor(next() * 10);
    const parts: string[] = [];
    for (let word = 0; word < length; word += 1) parts.push(words[Math.floor(next() * words.length)]!);
    out.push(`${String(line + 1).padStart(6)}\t${'  '.repeat(Math.floor(next() * 4))}${parts.join(' ')};`);
  }
  return out.join('\n');
}

function message(role: Message['role'], text: string, extra: Partial<Message> = {}): Message {
  return { role, text, reasoning: { state: 'absent' }, toolCalls: [], provenance: 'conversation', ...extra };
}

/**
 * A Claude-Code-shaped session of about `approximateBytes`: prompts, reasoning, tool calls and big
 * tool results (which dominate real logs), with a few secrets, e-mails and home paths planted.
 */
export function generateSession(index: number, approximateBytes: number): Session {
  const next = random(index + 1);
  const messages: Message[] = [message('user', `Task ${index}: ${codeLines(next, 2)}`)];
  let size = 0;
  let call = 0;
  while (size < approximateBytes) {
    const id = `call_${index}_${call++}`;
    const path = `/home/bench/src/project-${index % 17}/src/module-${call}.ts`;
    messages.push(
      message('assistant', call % 3 === 0 ? `Reading ${path} next.` : '', {
        reasoning: call % 4 === 0 ? { state: 'hollow' } : { state: 'present', text: codeLines(next, 3) },
        toolCalls: [{ id, name: call % 2 === 0 ? 'Read' : 'Bash', arguments: JSON.stringify(call % 2 === 0 ? { file_path: path } : { command: `npm test -- ${path}`, timeout: 120000 }) }],
      }),
    );
    let output = codeLines(next, 40 + Math.floor(next() * 200));
    if (call % 25 === 0) output += `\nexport GITHUB_TOKEN=ghp_${'a1B2c3D4e5'.repeat(3)}abcdef\ncontact: dev${index}@example.com`;
    messages.push(message('tool', '', { toolResult: { toolCallId: id, toolName: call % 2 === 0 ? 'Read' : 'Bash', isError: next() < 0.05, text: output } }));
    size += output.length + 400;
    if (next() < 0.1) messages.push(message('user', `Also check ${codeLines(next, 1)}`));
  }
  messages.push(message('assistant', `Done with task ${index}.`, { reasoning: { state: 'present', text: 'All steps finished.' } }));
  return {
    schemaVersion: 1,
    id: `bench-${String(index).padStart(6, '0')}`,
    source: index % 3 === 0 ? 'claude-code' : index % 3 === 1 ? 'pir' : 'omp',
    files: [`/home/bench/.claude/projects/-home-bench-src/bench-${index}.jsonl`],
    cwd: `/home/bench/src/project-${index % 17}`,
    startedAt: '2026-11-20T10:00:00.000Z',
    endedAt: '2026-11-20T11:00:00.000Z',
    models: ['claude-sonnet-4-5'],
    branch: { leafId: null, isActive: true },
    isSubagent: false,
    usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
    messages,
    warnings: [],
  };
}
