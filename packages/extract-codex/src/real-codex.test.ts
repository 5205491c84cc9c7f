import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  baseAgentEnv,
  expectMatchesStub as expectSessionsMatchStub,
  installAgent,
  sessionsUnder,
  makeTempProject,
  runCcusage,
  runAgentProcess,
  runCodex,
  scenarios,
  snapshotTree,
  withStubModel,
  type InstalledAgent,
  type Scenario,
  type StubModel,
} from '@forge-internal/test-agents';
import { foldSessions } from '@forge/reader-kit';
import { type Session } from '@forge/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { codexReader, isCodexRolloutHead } from './codex-reader.js';
import { discoverCodexRollouts } from './discover-codex-rollouts.js';

/** The stub comparison, plus: each assistant message names the response it came from. */
function expectMatchesStub(sessions: Session[], scenario: Scenario, stub: StubModel): void {
  expectSessionsMatchStub(sessions, stub, { expected: scenario.expected, script: scenario.script, api: 'openai-responses' });
  const assistants = sessions.flatMap((session) => session.messages).filter((message) => message.role === 'assistant');
  expect(assistants.map((message) => message.sourceIds?.at(-1))).toEqual(stub.mainServed().map((answer) => answer.messageId));
}
/** A Session without where it was read from: the same thread read from `.jsonl` and `.jsonl.zst`. */
const withoutPaths = (session: Session) => ({ ...session, files: [], warnings: session.warnings.map((warning) => ({ ...warning, file: '' })) });

describe('codexReader on rollouts the real Codex CLI wrote', () => {
  let codex: InstalledAgent;
  beforeAll(async () => {
    codex = await installAgent('codex');
  });

  it('should read a plain answer, with the harness context marked as such', async () => {
    const scenario = scenarios.plainAnswer;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runCodex({ stub, cwd, args: [scenario.prompts[0]!], agent: codex });
      expect(run.exitCode, run.stderr).toBe(0);
      const sessions = await sessionsUnder(codexReader, run.home);
      expect(sessions.map((session) => session.files[0])).toEqual(run.sessionFiles);
      expectMatchesStub(sessions, scenario, stub);
      const [session] = sessions;
      expect(session).toMatchObject({ source: 'codex', sourceVersion: codex.version, cwd, models: ['gpt-5.1-codex'], isSubagent: false });
      const conversation = session!.messages.filter((message) => message.provenance === 'conversation');
      expect(conversation.map((message) => [message.role, message.text])).toEqual([
        ['user', scenario.prompts[0]],
        ['assistant', scenario.script[0]!.text],
      ]);
      // Codex's own context (skills, environment) is kept, but never as conversation.
      expect(session!.messages.filter((message) => message.provenance === 'harness').length).toBeGreaterThan(0);
      expect(session!.messages.find((message) => message.text.startsWith('<environment_context>'))?.role).toBe('user');
    });
  });

  it('should read tool calls, a failing cat and a failing command as tool errors, and agree with ccusage', async () => {
    const shape = scenarios.toolsWithError('codex', { failingBash: true });
    const cwd = await makeTempProject(shape.files);
    await withStubModel(shape, async (stub) => {
      const run = await runCodex({ stub, cwd, args: [shape.prompts[0]!], agent: codex });
      expect(run.exitCode, run.stderr).toBe(0);
      const before = await snapshotTree(join(run.home, '.codex'));
      const sessions = await sessionsUnder(codexReader, run.home);
      expect(await snapshotTree(join(run.home, '.codex'))).toEqual(before);
      expect(shape.expected.toolErrors).toBe(2);
      expectMatchesStub(sessions, shape, stub);
      const messages = sessions[0]!.messages;
      const scripted = shape.script.flatMap((turn) => turn.toolCalls ?? []);
      const calls = messages.flatMap((message) => message.toolCalls);
      expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual(scripted.map((call) => [call.name, call.input]));
      // Results follow their response; parallel calls may finish in either order.
      const results = messages.filter((message) => message.role === 'tool');
      const errorsByCall = new Map(results.map((message) => [message.toolResult!.toolCallId, message.toolResult!.isError]));
      const servedIds = stub.mainServed().flatMap((answer) => answer.toolCallIds);
      expect(servedIds.map((id) => errorsByCall.get(id))).toEqual(scripted.map((call) => call.expectError === true));
      expect(results.every((message) => message.toolResult!.toolName === 'exec_command')).toBe(true);

      const ccusage = await runCcusage({ args: ['codex', 'session', '--json', '--offline'], home: run.home, env: { CODEX_HOME: join(run.home, '.codex') } });
      expect(ccusage.exitCode, ccusage.stderr).toBe(0);
      const totals = (JSON.parse(ccusage.stdout) as { totals: Record<string, number> }).totals;
      const usage = sessions[0]!.usage;
      expect({ input: totals.inputTokens, output: totals.outputTokens, cacheRead: totals.cacheReadTokens, cacheWrite: totals.cacheCreationTokens }).toEqual(usage);
    });
  });

  it('should read a reasoning summary as present reasoning', async () => {
    const scenario = scenarios.thinking;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const run = await runCodex({ stub, cwd, args: [scenario.prompts[0]!], agent: codex });
      expect(run.exitCode, run.stderr).toBe(0);
      const sessions = await sessionsUnder(codexReader, run.home);
      expectMatchesStub(sessions, scenario, stub);
      const answer = sessions[0]!.messages.find((message) => message.role === 'assistant');
      expect(answer).toMatchObject({ text: scenario.script[0]!.text, reasoning: { state: 'present', text: scenario.script[0]!.thinking } });
    });
  });

  it('should read `exec resume --last` as one session, and a fork as a child holding only its own turns', async () => {
    const scenario = scenarios.continued;
    const cwd = await makeTempProject();
    await withStubModel(scenario, async (stub) => {
      const first = await runCodex({ stub, cwd, args: [scenario.prompts[0]!], agent: codex });
      expect(first.exitCode, first.stderr).toBe(0);
      const second = await runCodex({ stub, cwd, home: first.home, subcommand: ['resume', '--last'], args: [scenario.prompts[1]!], agent: codex });
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.sessionFiles).toEqual(first.sessionFiles);
      const sessions = await sessionsUnder(codexReader, second.home);
      expect(sessions).toHaveLength(1);
      expectMatchesStub(sessions, scenario, stub);
      const prompts = sessions[0]!.messages.filter((message) => message.role === 'user' && message.provenance === 'conversation');
      expect(prompts.map((message) => message.text)).toEqual(scenario.prompts);
    });

    // The fork (0.16x "paginated" history) points at its source's file instead of copying it.
    const forkPrompt = 'And of Spain?';
    const forkTurn = { text: 'The capital of Spain is Madrid.', usage: { input: 30, output: 9, cacheRead: 2000, cacheWrite: 100 } };
    const home = await (async () => {
      const base = await withStubModel({ script: [scenario.script[0]!] }, (stub) => runCodex({ stub, cwd, args: [scenario.prompts[0]!], agent: codex }));
      expect(base.exitCode, base.stderr).toBe(0);
      return base.home;
    })();
    const [parent] = await sessionsUnder(codexReader, home);
    await withStubModel({ script: [forkTurn] }, async (stub) => {
      const fork = await runCodex({ stub, cwd, home, subcommand: ['fork', parent!.id], args: [forkPrompt], agent: codex });
      expect(fork.exitCode, fork.stderr).toBe(0);
      expect(fork.sessionFiles).toHaveLength(2);
      const sessions = await sessionsUnder(codexReader, home);
      const child = sessions.find((session) => session.id !== parent!.id);
      expect(child).toMatchObject({ parent: { sessionId: parent!.id }, isSubagent: false, usage: stub.mainServed()[0]!.usage, warnings: [] });
      expect(child!.messages.filter((message) => message.provenance === 'conversation').map((message) => message.text)).toEqual([forkPrompt, forkTurn.text]);
    });
  });

  it('should read a rollout Codex archived and compressed (.jsonl.zst) as it read the plain file', async () => {
    const shape = scenarios.toolsWithError('codex', { failingBash: true });
    const cwd = await makeTempProject(shape.files);
    const home = await withStubModel(shape, async (stub) => {
      const run = await runCodex({ stub, cwd, args: [shape.prompts[0]!], agent: codex });
      expect(run.exitCode, run.stderr).toBe(0);
      return run.home;
    });
    const codexHome = join(home, '.codex');
    const [live] = await sessionsUnder(codexReader, home);
    // `codex archive` moves the thread to archived_sessions/; a week later it is cold (compression.rs MIN_ROLLOUT_AGE).
    const archive = await runAgentProcess({ argv: [...codex.command, 'archive', live!.id], cwd, env: { ...baseAgentEnv(home), CODEX_HOME: codexHome } });
    expect(archive.exitCode, archive.stderr).toBe(0);
    const archivedFolder = join(codexHome, 'archived_sessions');
    const [archivedPlain] = (await readdir(archivedFolder, { recursive: true })).map((name) => join(archivedFolder, name));
    const [archived] = await sessionsUnder(codexReader, home);
    expect(archived!.files).toEqual([archivedPlain]);
    const weekAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    await utimes(archivedPlain!, weekAgo, weekAgo);
    const plainBytes = await readFile(archivedPlain!);

    // The next Codex start with the (0.169.0: under development) feature on compresses it in the background.
    await withStubModel(scenarios.plainAnswer, async (stub) => {
      const next = await runCodex({ stub, cwd, home, args: ['--enable', 'local_thread_store_compression', scenarios.plainAnswer.prompts[0]!], agent: codex });
      expect(next.exitCode, next.stderr).toBe(0);
    });
    const compressed = `${archivedPlain!}.zst`;
    // The worker writes the .zst, then deletes the plain file: give a slow machine a moment to finish.
    for (let waited = 0; waited < 10_000 && (await readdir(archivedFolder, { recursive: true })).join() !== basename(compressed); waited += 250) await new Promise((done) => setTimeout(done, 250));
    expect(await readdir(archivedFolder, { recursive: true })).toEqual([basename(compressed)]);
    const compressedHead = (await readFile(compressed)).subarray(0, 65_536);
    expect([isCodexRolloutHead(compressedHead), codexReader.detect(compressedHead, compressed)]).toEqual([true, 'codex']);

    const sessions = await sessionsUnder(codexReader, home);
    expect(sessions).toHaveLength(2);
    const fromZst = sessions.find((session) => session.id === archived!.id);
    expect(fromZst!.files).toEqual([compressed]);
    expect(withoutPaths(fromZst!)).toEqual(withoutPaths(archived!));

    // A plain sibling (Codex materialises one to append) wins over the compressed copy.
    await writeFile(archivedPlain!, plainBytes);
    const found = [];
    for await (const file of discoverCodexRollouts({ roots: [archivedFolder] })) found.push(file.path);
    expect(found).toEqual([archivedPlain]);

    // A cut-off copy (the real zstd keeps what it can and fails): a warning naming the file, no crash.
    const cutFolder = join(home, 'cut');
    const cut = join(cutFolder, basename(compressed));
    await mkdir(cutFolder);
    await writeFile(cut, (await readFile(compressed)).subarray(0, 400));
    expect(() => execFileSync('zstd', ['-t', '-q', cut], { stdio: 'pipe' })).toThrow();
    const { sessions: none, fileWarnings } = await foldSessions(codexReader.readFile({ path: cut, source: 'codex', size: 400, mtimeMs: 0 }));
    expect(none).toEqual([]);
    expect(fileWarnings).toEqual([{ file: cut, kind: 'unreadable-file', message: expect.stringMatching(/^compressed rollout: the zstd data is corrupt or cut off after line 0 /u) as string }]);
  });
});
