import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { installAgent, makeTempProject, runClaude, scenarios, sharedFixturesRoot, withStubModel } from '@forge-internal/test-agents';
import { summarizeSession, type SessionSummary } from '@forge/schema';
import { exitCodes } from '../cli-io.js';
import { createFixtureHome } from '../test-support/fixture-home.js';
import { runCli } from '../test-support/run-cli.js';
import { loadSessions } from './load-sessions.js';

// `forge stats` reads through the usage path; `--whole-sessions` through whole Sessions, as every
// other command does. Both must print the same, line for line, on every input the repository has.

const demoHome = join(import.meta.dirname, '..', '..', 'demo', 'home');
const emptyHome = mkdtempSync(join(tmpdir(), 'forge-stats-home-'));
const env = { HOME: emptyHome };
const claudeFixtures = join(sharedFixturesRoot, 'claude');

/** The public Claude Code samples (every version, a rewind, subagents) laid out as one config dir. */
function samplesConfigDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'forge-stats-samples-'));
  for (const source of ['claude-code-log', 'claude-code-viewer']) {
    for (const project of readdirSync(join(claudeFixtures, 'samples', source))) {
      cpSync(join(claudeFixtures, 'samples', source, project), join(root, 'projects', project), { recursive: true });
    }
  }
  return root;
}

/**
 * The hand-written Claude fixtures with damage added: a torn last line, a line that is no JSON, an
 * empty transcript, a transcript of nothing but another file's lines (a pure resume copy), and a
 * JSONL file that is no session.
 */
function damagedConfigDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'forge-stats-damaged-'));
  cpSync(join(claudeFixtures, 'projects'), join(root, 'projects'), { recursive: true });
  const project = join(root, 'projects', '-home-dev-work-acme-api');
  const original = join(project, '2502a891-7752-43b4-b82c-2d11cbf67729.jsonl');
  const lines = readFileSync(original, 'utf8').trimEnd().split('\n');
  appendFileSync(original, `{"not json\n${lines.at(-1)!.slice(0, 80)}`);
  writeFileSync(join(project, '00000000-0000-4000-8000-000000000000.jsonl'), '');
  // Named after the original (the tie-breaker of equal times), so the original keeps the lines.
  writeFileSync(join(project, 'ffffffff-0000-4000-8000-000000000000.jsonl'), `${lines.join('\n')}\n`);
  mkdirSync(join(root, 'projects', '-home-dev-notes'));
  writeFileSync(join(root, 'projects', '-home-dev-notes', '11111111-0000-4000-8000-000000000000.jsonl'), '{"hello":"world"}\n');
  return root;
}

/**
 * The hand-written Claude fixtures with their tool results and tool calls rewritten to fool the
 * usage path's cut (`summaryLineText`, lines of 4 KB or more): outputs and inputs that hold
 * line-like JSON, escaped quotes and backslashes, keys in other orders (a call's name after its
 * input, a Task call's too), every other result an error, one result of 4 MB, and thinking blocks
 * (empty, null, long) with their signature first.
 */
function foolingConfigDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'forge-stats-fooling-'));
  cpSync(join(claudeFixtures, 'projects'), join(root, 'projects'), { recursive: true });
  const fooling = 'ok\n{"type":"assistant","uuid":"x","message":{"id":"msg_x","usage":{"output_tokens":999}}}\n"toolUseResult":null,"is_error":true}]} \\" \\\\" "tool_result"';
  let results = 0;
  for (const entry of readdirSync(join(root, 'projects'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
    const path = join(entry.parentPath, entry.name);
    const lines = readFileSync(path, 'utf8').split('\n').map((line) => {
      if (typeOf(line) === 'assistant') return foolingAssistantLine(line, fooling);
      if (!line.includes('"tool_result"')) return line;
      const { type, message, toolUseResult, ...rest } = JSON.parse(line) as { type: string; message: { content: Array<Record<string, unknown>> }; toolUseResult?: unknown };
      for (const block of message.content) {
        if (block.type !== 'tool_result') continue;
        results += 1;
        const { type: blockType, ...blockRest } = block;
        const content = results === 3 ? fooling.repeat(40_000) : [{ type: 'text', text: `${fooling.repeat(30)} ${JSON.stringify(block.content)}` }];
        // The block type last, after the content.
        Object.assign(block, { ...blockRest, content, is_error: results % 2 === 0 || block.is_error === true });
        delete block.type;
        block.type = blockType;
      }
      // The structured result first, the line type last.
      return JSON.stringify({ toolUseResult: { stdout: fooling, original: toolUseResult ?? null }, message, ...rest, type });
    });
    writeFileSync(path, lines.join('\n'));
  }
  return root;
}

/** A line's type; undefined for a line that does not parse (the fixtures hold torn lines). */
function typeOf(line: string): unknown {
  try {
    return (JSON.parse(line) as { type?: unknown }).type;
  } catch {
    return undefined;
  }
}

let thinkingBlocks = 0;

/** An assistant line with fooling tool call input (its name last) and thinking (its signature first), padded past the cut's 4 KB. */
function foolingAssistantLine(line: string, fooling: string): string {
  const { type, message, ...rest } = JSON.parse(line) as { type: string; message: { content?: unknown } };
  if (!Array.isArray(message.content)) return line;
  message.content = (message.content as Array<Record<string, unknown>>).map((block) => {
    if (block.type === 'tool_use') {
      const { name, input, ...blockRest } = block;
      return { ...blockRest, input: { ...(input as object), fooling: fooling.repeat(30) }, name };
    }
    if (block.type !== 'thinking') return block;
    thinkingBlocks += 1;
    const { signature, thinking, ...blockRest } = block;
    const kind = thinkingBlocks % 3;
    return { signature: signature ?? fooling.repeat(30), ...blockRest, thinking: kind === 0 ? `${fooling.repeat(30)}${String(thinking)}` : kind === 1 ? '' : null };
  });
  // The line type last, after the message.
  return JSON.stringify({ ...rest, message, padding: fooling.repeat(30), type });
}

const inputs: Array<[string, string[], string]> = [
  ['the demo home (pi, pir, omp, Claude Code 2.1.330)', ['--root', demoHome], emptyHome],
  ['every real and hand-written fixture of ../shared/fixtures, with planted secrets', [], createFixtureHome()],
  ['the public Claude Code samples', ['--root', `claude=${samplesConfigDir()}`], emptyHome],
  ['the hand-written Claude fixtures with damaged and copied files', ['--root', `claude=${damagedConfigDir()}`], emptyHome],
  ['the hand-written Claude fixtures with tool results and calls that try to fool the cut', ['--root', `claude=${foolingConfigDir()}`], emptyHome],
  ['the real Claude Code 2.0.76 files', ['--root', `claude=${join(sharedFixturesRoot, 'real', 'claude-2.0.76', '.claude')}`], emptyHome],
];

/** The summaries of whole Sessions as every other command reads them, one JSON line each. */
async function wholeSessionLines(roots: string[], home: string): Promise<string[]> {
  const root = roots.length === 0 ? [] : [roots[1]!];
  const io = { stdout: new PassThrough(), stderr: new PassThrough(), env: { HOME: home }, cwd: home };
  const { sessions } = await loadSessions({ root, quiet: true }, io);
  return [...sessions.map((session) => JSON.stringify(summarizeSession(session))), ''];
}

/** `forge stats` (JSON and table) prints the same through the usage path and through whole Sessions; the JSON lines. */
async function expectSamePrint(roots: string[], home: string): Promise<string[]> {
  const json = await runCli(['stats', ...roots, '--json', '--quiet'], { env: { HOME: home }, cwd: home });
  expect(json.stdout.split('\n')).toEqual(await wholeSessionLines(roots, home));
  // Units read on worker threads too (this one and two workers): the same print, byte for byte.
  const pooled = await runCli(['stats', ...roots, '--json', '--quiet', '--jobs', '3'], { env: { HOME: home }, cwd: home });
  expect(pooled).toEqual(json);
  for (const format of [['--json'], []]) {
    const usage = await runCli(['stats', ...roots, ...format, '--quiet'], { env: { HOME: home }, cwd: home });
    const whole = await runCli(['stats', ...roots, ...format, '--quiet', '--whole-sessions'], { env: { HOME: home }, cwd: home });
    expect(usage.stderr).toBe(whole.stderr);
    expect(usage.exitCode).toBe(whole.exitCode);
    expect(usage.stdout.split('\n')).toEqual(whole.stdout.split('\n'));
    expect(usage.stdout.length).toBeGreaterThan(100);
  }
  return json.stdout.trimEnd().split('\n');
}

describe('forge stats usage path', () => {
  it.each(inputs)('should print what whole Sessions print, JSON and table, for %s', async (_name, roots, home) => {
    await expectSamePrint(roots, home);
  });

  it('should print what whole Sessions print for a real Claude Code 2.1.330 run, with the run\'s exact counts', async () => {
    const claude = await installAgent('claude');
    const cwd = await makeTempProject(scenarios.toolsWithError('claude').files);
    const scenario = scenarios.toolsWithError('claude', { cwd, failingBash: true });
    await withStubModel(scenario, async (stub) => {
      const run = await runClaude({ stub, cwd, args: [scenario.prompts[0]!], agent: claude });
      expect(run.exitCode, run.stderr).toBe(0);
      const lines = await expectSamePrint(['--root', `claude=${join(run.home, '.claude')}`], run.home);
      const [main] = lines.map((line) => JSON.parse(line) as SessionSummary).filter((summary) => !summary.isSubagent);
      const { usage, userPrompts, assistantMessages, toolCalls, toolErrors } = scenario.expected;
      expect(main).toMatchObject({ usage, userTurns: userPrompts, assistantTurns: assistantMessages, toolCalls, toolErrors });
    });
  }, 180_000);

  it('should count the damaged files as the whole-Session path does, and warn with exit 3', async () => {
    const root = damagedConfigDir();
    const result = await runCli(['stats', '--root', `claude=${root}`, '--quiet'], { env, cwd: emptyHome });
    expect(result.exitCode).toBe(exitCodes.doneWithWarnings);
    // 6 hand-written transcripts + 1 subagent + the empty, the all-copies and the not-a-session file.
    expect(result.stdout).toMatch(/\n8 sessions from \d+ files; 3 files skipped\n$/u);
  });
});
