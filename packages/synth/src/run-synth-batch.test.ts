import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  baseAgentEnv,
  defaultStubModelId,
  installAgent,
  makeTempHome,
  readJsonlRecords,
  stubProviderName,
  withStubModel,
  writeOmpConfig,
  writePiConfig,
  type InstalledAgent,
  type ScriptedTurn,
  type StubModel,
  type StubRequest,
} from '@forge-internal/test-agents';
import { forgeEntryTypes, parseSession, parseSyntheticTag } from '@forge/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthBatchOptions } from './plan-synth-batch.js';
import { runSynthBatch } from './run-synth-batch.js';

const model = defaultStubModelId('anthropic-messages');
const usage = { input: 100, output: 20, cacheRead: 0, cacheWrite: 0 };

/** Requests of one run: its temp town (in the system prompt) names the run. */
const ofRun = (runId: string, first: boolean) => (request: StubRequest) => {
  const messages = (request.body as { messages?: unknown[] } | undefined)?.messages ?? [];
  return request.systemText.includes(`/${runId}/gt`) && (messages.length === 1) === first;
};

/** Each run reads a file its template put in the work dir, then answers. */
function scriptFor(runs: Array<{ runId: string; file: string }>): ScriptedTurn[] {
  return runs.flatMap(({ runId, file }) => [
    { text: `Reading ${file}.`, toolCalls: [{ name: 'read', input: { path: file } }], usage, match: ofRun(runId, true), label: runId },
    { text: `Done with ${runId}.`, usage, match: ofRun(runId, false), label: runId },
  ]);
}

const clients = [
  { client: 'pi', writeConfig: writePiConfig },
  { client: 'omp', writeConfig: writeOmpConfig },
] as const;

/** Options for a batch against the stub, in a fresh home with the stub provider configured. */
async function optionsFor({ client, writeConfig }: (typeof clients)[number], agent: InstalledAgent, stub: StubModel, extra: Partial<SynthBatchOptions>): Promise<SynthBatchOptions> {
  const home = await makeTempHome();
  await writeConfig(home, stub, 'anthropic-messages', model);
  const extraPath = client === 'omp' ? [dirname(agent.command[0]!)] : [];
  return {
    harness: client,
    roles: ['witness'],
    count: 1,
    command: agent.command,
    provider: stubProviderName,
    model,
    out: join(home, 'synth-out'),
    env: { ...baseAgentEnv(home, extraPath), PI_OFFLINE: '1', PI_SKIP_VERSION_CHECK: '1' },
    timeoutSeconds: 45,
    ...extra,
  };
}

describe.each(clients)('runSynthBatch with the real $client', (setup) => {
  const { client } = setup;
  let agent: InstalledAgent;
  beforeAll(async () => {
    agent = await installAgent(client);
  });

  // Four runs of omp (bun) take about 20 s on an idle 2-core machine and over a minute on a loaded one.
  it('should turn two roles × two runs into four read, tagged sessions', { timeout: 240_000 }, async () => {
    const runs = [
      { runId: 'witness-off-1', file: 'patrol/polecats.txt' },
      { runId: 'witness-off-2', file: 'patrol/polecats.txt' },
      { runId: 'polecat-off-1', file: 'src/sum.js' },
      { runId: 'polecat-off-2', file: 'src/sum.js' },
    ];
    await withStubModel({ script: scriptFor(runs) }, async (stub) => {
      const options = await optionsFor(setup, agent, stub, { roles: ['witness', 'polecat'], count: 2, thinking: ['off'], concurrency: 2, timeoutSeconds: 120 });
      const done: string[] = [];
      const result = await runSynthBatch(options, { batchId: 'test-batch', onRunDone: (report) => done.push(report.runId) });

      expect(result.manifest.runs.map((run) => [run.runId, run.status, run.stderrTail])).toEqual(runs.map((run) => [run.runId, 'ok', undefined]));
      expect(done.sort()).toEqual(runs.map((run) => run.runId).sort());
      expect(stub.unservedTurns()).toEqual([]);
      expect(result.manifest).toMatchObject({ harness: client, harnessVersion: agent.version, totals: { planned: 4, ok: 4, sessions: 4, tokens: 4 * 2 * 120 } });

      const lines = (await readFile(join(result.out, 'sessions.jsonl'), 'utf8')).trimEnd().split('\n');
      const sessions = lines.map((line) => parseSession(JSON.parse(line)));
      expect(sessions).toEqual(result.sessions);
      for (const [index, session] of sessions.entries()) {
        const { runId, file } = runs[index]!;
        const role = runId.split('-')[0];
        expect(session.source).toBe(client);
        expect(session.gastown?.role).toBe(role);
        expect(session.synthetic).toMatchObject({
          batchId: 'test-batch',
          runId,
          harness: client,
          harnessVersion: agent.version,
          role,
          template: { file: expect.stringMatching(new RegExp(`templates/${role}\\.toml$`, 'u')), sha256: expect.stringMatching(/^[0-9a-f]{64}$/u) },
          parameters: { thinking: 'off', model, provider: stubProviderName },
        });
        // The template's file was in the work dir: the read tool returned its content.
        const toolText = session.messages.find((message) => message.role === 'tool')?.toolResult?.text ?? '';
        expect(toolText).toContain(file === 'src/sum.js' ? 'export function sum' : 'nux');
        expect(session.messages.at(-1)?.text).toBe(`Done with ${runId}.`);
        expect(result.manifest.runs[index]!.sessionFiles).toEqual([expect.stringMatching(new RegExp(`^runs/${runId}/sessions/.+\\.jsonl$`, 'u'))]);
        // The tag also travels in the session file, as the last entry of the active branch.
        const records = await readJsonlRecords(join(result.out, result.manifest.runs[index]!.sessionFiles[0]!));
        const last = records.at(-1)!;
        expect(last).toMatchObject({ type: 'custom', customType: forgeEntryTypes.synthetic, data: session.synthetic, parentId: records.at(-2)!.id });
        expect(parseSyntheticTag(last.data)).toEqual(session.synthetic);
        expect(session.branch.leafId).toBe(last.id);
      }
    });
  });
});

// The failure paths are the harness-independent part of runSynthBatch: pi alone covers them.
describe('runSynthBatch failures, with the real pi', () => {
  let agent: InstalledAgent;
  beforeAll(async () => {
    agent = await installAgent('pi');
  });

  // The timeout must let a healthy run finish on a loaded 2-core machine (omp takes seconds to start).
  it('should report a timed-out run with its stderr tail and still finish the batch', { timeout: 150_000 }, async () => {
    const script: ScriptedTurn[] = [
      { toolCalls: [{ name: 'bash', input: { command: 'sleep 120' } }], usage, match: ofRun('witness-default-1', true) },
      ...scriptFor([{ runId: 'witness-default-2', file: 'patrol/polecats.txt' }]),
    ];
    await withStubModel({ script }, async (stub) => {
      const result = await runSynthBatch(await optionsFor(clients[0], agent, stub, { count: 2, timeoutSeconds: 30 }));
      const [slow, fine] = result.manifest.runs;
      expect(slow).toMatchObject({ status: 'timed-out', reason: expect.stringMatching(/killed after the \d+ s timeout/u), exitCode: null, signal: 'SIGKILL', sessionIds: [] });
      expect(slow!.stderrTail).toEqual(expect.any(String));
      expect(fine).toMatchObject({ status: 'ok' });
      expect(result.manifest.totals).toMatchObject({ 'timed-out': 1, ok: 1, sessions: 1 });
    });
  });

  it('should report a failing run with its stderr tail', async () => {
    await withStubModel({ script: [] }, async (stub) => {
      const result = await runSynthBatch(await optionsFor(clients[0], agent, stub, { provider: 'no-such-provider' }));
      const [run] = result.manifest.runs;
      expect(run).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^exit code [1-9]/u), sessionIds: [] });
      expect(run!.stderrTail).toMatch(/no-such-provider/u);
      expect(result.sessions).toEqual([]);
    });
  });

  it('should kill the run under way and start no more when the batch is interrupted', async () => {
    const script: ScriptedTurn[] = [{ toolCalls: [{ name: 'bash', input: { command: 'sleep 120' } }], usage }];
    await withStubModel({ script }, async (stub) => {
      const interrupt = new AbortController();
      // Interrupt once the first run is inside its tool call.
      const poll = setInterval(() => {
        if (stub.served.length > 0) setTimeout(() => interrupt.abort(), 500);
      }, 100);
      try {
        const result = await runSynthBatch(await optionsFor(clients[0], agent, stub, { count: 2 }), { signal: interrupt.signal });
        expect(result.manifest.stoppedBy).toBe('interrupted');
        expect(result.manifest.runs.map((run) => [run.status, run.reason])).toEqual([
          ['failed', 'killed: the batch was interrupted'],
          ['skipped', 'the batch was interrupted'],
        ]);
      } finally {
        clearInterval(poll);
      }
    });
  });

  it('should stop starting runs once the token budget is used, and say so', async () => {
    await withStubModel({ script: scriptFor([{ runId: 'witness-default-1', file: 'patrol/polecats.txt' }]) }, async (stub) => {
      const result = await runSynthBatch(await optionsFor(clients[0], agent, stub, { count: 3, maxTokens: 1 }));
      expect(result.manifest.stoppedBy).toBe('token-budget');
      expect(result.manifest.runs.map((run) => run.status)).toEqual(['ok', 'skipped', 'skipped']);
      expect(result.manifest.runs[1]!.reason).toBe('token budget of 1 used');
    });
  });
});
